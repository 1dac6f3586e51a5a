import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createAdmin, type AdminAuth } from "../helpers/admin"

jest.setTimeout(60 * 1000)

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer, dbConnection }) => {
    let admin: AdminAuth
    beforeEach(async () => {
      admin = await createAdmin(getContainer(), api)
    })

    describe("POST /admin/brands", () => {
      it("creates a brand with a handle derived from its name", async () => {
        const res = await api.post("/admin/brands", { name: "  Fjord Audio " }, { headers: admin.headers })
        expect(res.status).toBe(200)
        expect(res.data.brand).toMatchObject({ name: "Fjord Audio", handle: "fjord-audio" })
        expect(res.data.brand.id).toMatch(/^brand_/)
      })

      it("needs an authenticated admin", async () => {
        const res = await api.post("/admin/brands", { name: "Nope" }).catch((e) => e.response)
        expect(res.status).toBe(401)
        const rows = await dbConnection.raw(`select count(*)::int as n from brand`)
        expect(rows.rows[0].n).toBe(0)
      })
    })
  },
})
