import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createStep, createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createBrandsWorkflow } from "../../src/workflows/create-brands"
import { deleteBrandsWorkflow } from "../../src/workflows/delete-brands"
import { updateBrandWorkflow } from "../../src/workflows/update-brand"
import { createAdmin, createSecretApiKey, type AdminAuth } from "../helpers/admin"
import { errorOf } from "../helpers/http"
import { allLinks, brandRow, countOf, liveLinks } from "../helpers/db"

jest.setTimeout(90 * 1000)

// Workflows that run a brand workflow as a step and then fail, to check that
// the compensations put the database back. Names are global: define them once.
const failStep = createStep("test-brands-fail", async () => {
  throw new Error("failing on purpose")
})
const createThenFail = createWorkflow("test-create-brand-then-fail", (input: { name: string }) => {
  createBrandsWorkflow.runAsStep({ input: { brands: [input] } })
  failStep()
  return new WorkflowResponse(input)
})
const updateThenFail = createWorkflow(
  "test-update-brand-then-fail",
  (input: { id: string; update: { name?: string; handle?: string } }) => {
    updateBrandWorkflow.runAsStep({ input })
    failStep().config({ name: "test-brands-fail-after-update" })
    return new WorkflowResponse(input)
  }
)
const deleteThenFail = createWorkflow("test-delete-brand-then-fail", (input: { ids: string[] }) => {
  deleteBrandsWorkflow.runAsStep({ input })
  failStep().config({ name: "test-brands-fail-after-delete" })
  return new WorkflowResponse(input)
})

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer, dbConnection }) => {
    let admin: AdminAuth
    const auth = () => ({ headers: admin.headers })

    beforeEach(async () => {
      admin = await createAdmin(getContainer(), api)
    })

    const createBrand = async (body: Record<string, unknown>) =>
      (await api.post("/admin/brands", body, auth())).data.brand
    const brandCount = () => countOf(dbConnection, `select count(*)::int as n from brand`)
    const allBrandRows = async () => (await dbConnection.raw(`select * from brand order by id`)).rows
    const createProduct = async (title: string, brand_id?: string) =>
      (
        await api.post(
          "/admin/products",
          {
            title,
            options: [{ title: "Default", values: ["Default"] }],
            ...(brand_id ? { additional_data: { brand_id } } : {}),
          },
          auth()
        )
      ).data.product

    describe("authentication", () => {
      it("answers 401 on every brand route without credentials and changes nothing", async () => {
        const brand = await createBrand({ name: "Acme" })
        const before = await allBrandRows()
        const calls = [
          () => api.get("/admin/brands"),
          () => api.post("/admin/brands", { name: "Nope" }),
          () => api.get(`/admin/brands/${brand.id}`),
          () => api.post(`/admin/brands/${brand.id}`, { name: "Nope" }),
          () => api.delete(`/admin/brands/${brand.id}`),
          () => api.get("/admin/brands", { headers: { authorization: "Bearer not-a-token" } }),
        ]
        for (const call of calls) {
          expect((await errorOf(call())).status).toBe(401)
        }
        expect(await allBrandRows()).toEqual(before)
      })

      it("accepts a secret API key as Basic auth", async () => {
        const headers = await createSecretApiKey(getContainer(), admin.userId)
        const res = await api.post("/admin/brands", { name: "Keyed" }, { headers })
        expect(res.data.brand.handle).toBe("keyed")
        expect((await api.get("/admin/brands", { headers })).data.count).toBe(1)
      })
    })

    describe("POST /admin/brands", () => {
      it("creates a brand with a trimmed name, a handle derived from it, and its fields", async () => {
        const res = await api.post(
          "/admin/brands",
          { name: "  Café Noir & Co. ", description: "Coffee", metadata: { tier: 1 } },
          auth()
        )
        expect(res.status).toBe(200)
        expect(res.data.brand).toMatchObject({
          name: "Café Noir & Co.",
          handle: "cafe-noir-co",
          description: "Coffee",
          metadata: { tier: 1 },
        })
        expect(res.data.brand.id).toMatch(/^brand_/)
        const row = await brandRow(dbConnection, res.data.brand.id)
        expect(row).toMatchObject({ name: "Café Noir & Co.", handle: "cafe-noir-co", deleted_at: null })
      })

      it("suffixes a derived handle that is taken", async () => {
        expect((await createBrand({ name: "Acme" })).handle).toBe("acme")
        expect((await createBrand({ name: "ACME" })).handle).toBe("acme-2")
        expect((await createBrand({ name: "acme!" })).handle).toBe("acme-3")
        // A longer handle that starts with the base does not count as taken.
        expect((await createBrand({ name: "Acme Outfitters" })).handle).toBe("acme-outfitters")
      })

      it("suffixes a derived handle at the length limit by shortening it", async () => {
        const name = "n".repeat(200)
        const handles: string[] = []
        for (let i = 0; i < 3; i++) handles.push((await createBrand({ name })).handle)
        expect(handles).toEqual([name, `${"n".repeat(198)}-2`, `${"n".repeat(198)}-3`])
      })

      it("gives concurrent creates of one name distinct suffixed handles", async () => {
        const results = await Promise.all(
          [1, 2, 3, 4].map(() => api.post("/admin/brands", { name: "Race" }, auth()).catch((e) => e.response))
        )
        expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200])
        const handles = results.map((r) => r.data.brand.handle)
        expect(new Set(handles).size).toBe(4)
        expect(handles).toContain("race")
        for (const handle of handles) expect(handle).toMatch(/^race(-\d+)?$/)
      })

      it("lets one of two concurrent creates with the same explicit handle win, the other gets duplicate_error", async () => {
        const results = await Promise.all(
          ["One", "Two"].map((name) =>
            api.post("/admin/brands", { name, handle: "shared" }, auth()).catch((e) => e.response)
          )
        )
        expect(results.map((r) => r.status).sort()).toEqual([200, 422])
        expect(results.find((r) => r.status === 422).data.type).toBe("duplicate_error")
        expect(await brandCount()).toBe(1)
      })

      it("suffixes handles derived twice within one workflow run", async () => {
        const { result } = await createBrandsWorkflow(getContainer()).run({
          input: { brands: [{ name: "Halcyon" }, { name: "halcyon" }] },
        })
        expect(result.map((b) => b.handle).sort()).toEqual(["halcyon", "halcyon-2"])
      })

      it("uses an explicit handle and rejects one that is taken with duplicate_error", async () => {
        expect((await createBrand({ name: "Acme", handle: "acme-co" })).handle).toBe("acme-co")
        const res = await errorOf(api.post("/admin/brands", { name: "Other", handle: "acme-co" }, auth()))
        expect(res.status).toBe(422)
        expect(res.data.type).toBe("duplicate_error")
        expect(res.data.message).toContain("acme-co")
        expect(await brandCount()).toBe(1)
      })

      it("rejects an explicit handle given twice in one run", async () => {
        const { errors } = await createBrandsWorkflow(getContainer()).run({
          input: { brands: [{ name: "A", handle: "same" }, { name: "B", handle: "same" }] },
          throwOnError: false,
        })
        expect(errors[0].error.type).toBe("duplicate_error")
        expect(await brandCount()).toBe(0)
      })

      it("rejects an invalid handle with 400 invalid_data", async () => {
        for (const handle of ["Not Valid", "acme_2", "-acme", "acme-", "ac--me", "ÄÖ", "x".repeat(201), ""]) {
          const res = await errorOf(api.post("/admin/brands", { name: "Acme", handle }, auth()))
          expect(res.status).toBe(400)
          expect(res.data.type).toBe("invalid_data")
        }
        expect(await brandCount()).toBe(0)
      })

      it("frees the handle of a deleted brand", async () => {
        const first = await createBrand({ name: "Acme" })
        await api.delete(`/admin/brands/${first.id}`, auth())
        const again = await createBrand({ name: "Acme" })
        expect(again.handle).toBe("acme")
        expect(again.id).not.toBe(first.id)
        await api.delete(`/admin/brands/${again.id}`, auth())
        expect((await createBrand({ name: "Other", handle: "acme" })).handle).toBe("acme")
      })

      it("accepts names of 1 to 200 characters after trimming", async () => {
        expect((await createBrand({ name: " x " })).name).toBe("x")
        const long = "n".repeat(200)
        expect((await createBrand({ name: `  ${long}  ` })).name).toBe(long)
        for (const name of ["", "   ", "n".repeat(201)]) {
          const res = await errorOf(api.post("/admin/brands", { name }, auth()))
          expect(res.status).toBe(400)
          expect(res.data.type).toBe("invalid_data")
        }
        expect(await brandCount()).toBe(2)
      })

      it("rejects bad bodies with 400 and creates nothing", async () => {
        const bodies = [
          {},
          { name: 5 },
          { name: null },
          { name: "Acme", unknown: true },
          { name: "Acme", id: "brand_custom" },
          { name: "Acme", handle: 7 },
          { name: "Acme", description: 1 },
          { name: "Acme", metadata: "not an object" },
        ]
        for (const body of bodies) {
          const res = await errorOf(api.post("/admin/brands", body, auth()))
          expect([res.status, res.data.type, body]).toEqual([400, "invalid_data", body])
        }
        expect(await brandCount()).toBe(0)
      })

      it("a workflow run that fails after the create removes the brand again", async () => {
        const { errors } = await createThenFail(getContainer()).run({
          input: { name: "Ephemeral" },
          throwOnError: false,
        })
        expect(errors[0].error.message).toContain("failing on purpose")
        expect(await brandCount()).toBe(0)
        expect((await createBrand({ name: "Ephemeral" })).handle).toBe("ephemeral")
      })
    })

    describe("GET /admin/brands", () => {
      const names = ["Echo", "Alpha", "Delta", "Bravo", "Charlie"]

      it("lists live brands with count, limit and offset", async () => {
        for (const name of names) await createBrand({ name })
        const deleted = await createBrand({ name: "Zulu" })
        await api.delete(`/admin/brands/${deleted.id}`, auth())

        const all = (await api.get("/admin/brands", auth())).data
        expect(all).toMatchObject({ count: 5, offset: 0, limit: 20 })
        expect(all.brands.map((b: any) => b.name).sort()).toEqual([...names].sort())
        expect(Object.keys(all.brands[0]).sort()).toEqual(
          ["created_at", "description", "handle", "id", "metadata", "name", "updated_at"]
        )

        const page = (await api.get("/admin/brands?limit=2&offset=1&order=name", auth())).data
        expect(page).toMatchObject({ count: 5, offset: 1, limit: 2 })
        expect(page.brands.map((b: any) => b.name)).toEqual(["Bravo", "Charlie"])

        const last = (await api.get("/admin/brands?limit=2&offset=4&order=-name", auth())).data
        expect(last.brands.map((b: any) => b.name)).toEqual(["Alpha"])
      })

      it("searches names with q", async () => {
        for (const name of ["Fjord Audio", "Fjordland", "Granite Bikes"]) await createBrand({ name })
        const found = (await api.get("/admin/brands?q=fjord", auth())).data
        expect(found.count).toBe(2)
        expect(found.brands.map((b: any) => b.name).sort()).toEqual(["Fjord Audio", "Fjordland"])
        expect((await api.get("/admin/brands?q=nothing-like-it", auth())).data.count).toBe(0)
      })

      it("filters by id and handle", async () => {
        const a = await createBrand({ name: "Acme" })
        const b = await createBrand({ name: "Borealis" })
        await createBrand({ name: "Cobalt" })
        expect((await api.get(`/admin/brands?id=${a.id}`, auth())).data.brands.map((x: any) => x.id)).toEqual([a.id])
        const both = (await api.get(`/admin/brands?handle[]=acme&handle[]=borealis`, auth())).data
        expect(both.brands.map((x: any) => x.id).sort()).toEqual([a.id, b.id].sort())
      })

      it("returns the fields asked for, products included", async () => {
        const a = await createBrand({ name: "Acme" })
        await createBrand({ name: "Borealis" })
        const p1 = await createProduct("Lamp", a.id)
        const p2 = await createProduct("Mug", a.id)
        await createProduct("Rug")

        const { data } = await api.get("/admin/brands?fields=id,name,products.*&order=name", auth())
        expect(Object.keys(data.brands[0]).sort()).toEqual(["id", "name", "products"])
        expect(data.brands[0].products.map((p: any) => p.id).sort()).toEqual([p1.id, p2.id].sort())
        expect(data.brands[0].products[0]).toHaveProperty("title")
        expect(data.brands[1].products).toEqual([])

        const plus = (await api.get(`/admin/brands?fields=+products.title&id=${a.id}`, auth())).data
        expect(plus.brands[0]).toHaveProperty("handle", "acme")
        expect(plus.brands[0].products.map((p: any) => p.title).sort()).toEqual(["Lamp", "Mug"])
      })

      it("rejects bad query parameters with 400", async () => {
        for (const qs of ["limit=abc", "offset=-1", "limit=-5", "limit=1.5", "order=nonexistent", "order=products", "order=name,-id", "unknown=1", "q[x]=1"]) {
          const res = await errorOf(api.get(`/admin/brands?${qs}`, auth()))
          expect([qs, res.status]).toEqual([qs, 400])
        }
      })
    })

    describe("GET /admin/brands/:id", () => {
      it("returns a brand, with products on request", async () => {
        const a = await createBrand({ name: "Acme", description: "Gear" })
        const p = await createProduct("Lamp", a.id)
        const plain = (await api.get(`/admin/brands/${a.id}`, auth())).data.brand
        expect(plain).toMatchObject({ id: a.id, name: "Acme", handle: "acme", description: "Gear" })
        expect(plain).not.toHaveProperty("products")

        const withProducts = (await api.get(`/admin/brands/${a.id}?fields=id,products.*`, auth())).data.brand
        expect(withProducts.products.map((x: any) => x.id)).toEqual([p.id])
      })

      it("answers 404 for a missing or deleted brand", async () => {
        const res = await errorOf(api.get("/admin/brands/brand_missing", auth()))
        expect(res.status).toBe(404)
        expect(res.data.type).toBe("not_found")

        const a = await createBrand({ name: "Acme" })
        await api.delete(`/admin/brands/${a.id}`, auth())
        expect((await errorOf(api.get(`/admin/brands/${a.id}`, auth()))).status).toBe(404)
      })
    })

    describe("POST /admin/brands/:id", () => {
      it("updates the fields given and leaves the others", async () => {
        const a = await createBrand({ name: "Acme", description: "Gear", metadata: { a: 1 } })
        const renamed = (await api.post(`/admin/brands/${a.id}`, { name: "  Acme Outdoor " }, auth())).data.brand
        // Renaming keeps the handle: links to it stay valid.
        expect(renamed).toMatchObject({ name: "Acme Outdoor", handle: "acme", description: "Gear", metadata: { a: 1 } })

        const rehandled = (
          await api.post(`/admin/brands/${a.id}`, { handle: "acme-outdoor", description: null }, auth())
        ).data.brand
        expect(rehandled).toMatchObject({ name: "Acme Outdoor", handle: "acme-outdoor", description: null })

        // Its own handle is not a clash.
        await api.post(`/admin/brands/${a.id}`, { handle: "acme-outdoor" }, auth())
        expect(await brandRow(dbConnection, a.id)).toMatchObject({
          name: "Acme Outdoor",
          handle: "acme-outdoor",
          description: null,
        })
      })

      it("rejects a taken handle with duplicate_error and leaves the row as it was", async () => {
        await createBrand({ name: "Acme" })
        const b = await createBrand({ name: "Borealis" })
        const before = await allBrandRows()

        const res = await errorOf(
          api.post(`/admin/brands/${b.id}`, { name: "Renamed", handle: "acme" }, auth())
        )
        expect(res.status).toBe(422)
        expect(res.data.type).toBe("duplicate_error")
        expect(await allBrandRows()).toEqual(before)
      })

      it("lets one of two concurrent updates to the same handle win, the other gets duplicate_error", async () => {
        const a = await createBrand({ name: "Acme" })
        const b = await createBrand({ name: "Borealis" })
        const results = await Promise.all(
          [a, b].map((x) => api.post(`/admin/brands/${x.id}`, { handle: "shared" }, auth()).catch((e) => e.response))
        )
        expect(results.map((r) => r.status).sort()).toEqual([200, 422])
        expect(results.find((r) => r.status === 422).data.type).toBe("duplicate_error")
        const handles = (await allBrandRows()).map((r: any) => r.handle).sort()
        expect([["acme", "shared"], ["borealis", "shared"]]).toContainEqual(handles)
      })

      it("rejects bad bodies with 400 and leaves the row as it was", async () => {
        const a = await createBrand({ name: "Acme" })
        const before = await allBrandRows()
        const bodies = [
          { name: "" },
          { name: "   " },
          { name: "n".repeat(201) },
          { name: 5 },
          { handle: null },
          { handle: "Bad Handle" },
          { metadata: [] },
          { id: "brand_other" },
          { unknown: "x" },
        ]
        for (const body of bodies) {
          const res = await errorOf(api.post(`/admin/brands/${a.id}`, body, auth()))
          expect([res.status, body]).toEqual([400, body])
        }
        expect(await allBrandRows()).toEqual(before)
      })

      it("answers 404 for a missing brand and creates nothing", async () => {
        const res = await errorOf(api.post("/admin/brands/brand_missing", { name: "Ghost" }, auth()))
        expect(res.status).toBe(404)
        expect(await brandCount()).toBe(0)
      })

      it("a workflow run that fails after the update puts the old values back", async () => {
        const a = await createBrand({ name: "Acme", description: "Gear" })
        const before = await brandRow(dbConnection, a.id)
        const { errors } = await updateThenFail(getContainer()).run({
          input: { id: a.id, update: { name: "Changed", handle: "changed" } },
          throwOnError: false,
        })
        expect(errors[0].error.message).toContain("failing on purpose")
        const after = await brandRow(dbConnection, a.id)
        expect(after).toMatchObject({
          name: before.name,
          handle: before.handle,
          description: before.description,
          metadata: before.metadata,
        })
      })
    })

    describe("DELETE /admin/brands/:id", () => {
      it("soft-deletes the brand", async () => {
        const a = await createBrand({ name: "Acme" })
        const b = await createBrand({ name: "Borealis" })
        const res = await api.delete(`/admin/brands/${a.id}`, auth())
        expect(res.status).toBe(200)
        expect(res.data).toEqual({ id: a.id, object: "brand", deleted: true })
        expect((await brandRow(dbConnection, a.id)).deleted_at).not.toBeNull()
        expect((await brandRow(dbConnection, b.id)).deleted_at).toBeNull()
        // A second delete finds nothing.
        expect((await errorOf(api.delete(`/admin/brands/${a.id}`, auth()))).status).toBe(404)
      })

      it("answers 404 for a missing brand and changes nothing", async () => {
        const a = await createBrand({ name: "Acme" })
        await createProduct("Lamp", a.id)
        const brandsBefore = await allBrandRows()
        const linksBefore = await allLinks(dbConnection)

        const res = await errorOf(api.delete("/admin/brands/brand_missing", auth()))
        expect(res.status).toBe(404)
        expect(res.data.type).toBe("not_found")
        expect(await allBrandRows()).toEqual(brandsBefore)
        expect(await allLinks(dbConnection)).toEqual(linksBefore)
      })

      it("deletes nothing when one of several ids is missing", async () => {
        const a = await createBrand({ name: "Acme" })
        await createProduct("Lamp", a.id)
        const brandsBefore = await allBrandRows()
        const linksBefore = await allLinks(dbConnection)

        const { errors } = await deleteBrandsWorkflow(getContainer()).run({
          input: { ids: [a.id, "brand_missing"] },
          throwOnError: false,
        })
        expect(errors[0].error.type).toBe("not_found")
        expect(await allBrandRows()).toEqual(brandsBefore)
        expect(await allLinks(dbConnection)).toEqual(linksBefore)
      })

      it("a workflow run that fails after the delete restores the brand and its links", async () => {
        const a = await createBrand({ name: "Acme" })
        const p = await createProduct("Lamp", a.id)

        const { errors } = await deleteThenFail(getContainer()).run({
          input: { ids: [a.id] },
          throwOnError: false,
        })
        expect(errors[0].error.message).toContain("failing on purpose")
        expect((await brandRow(dbConnection, a.id)).deleted_at).toBeNull()
        expect((await liveLinks(dbConnection)).map((l) => [l.product_id, l.brand_id])).toEqual([[p.id, a.id]])
        const { data } = await api.get(`/admin/brands/${a.id}?fields=id,products.id`, auth())
        expect(data.brand.products.map((x: any) => x.id)).toEqual([p.id])
      })
    })
  },
})
