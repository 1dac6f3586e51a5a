import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { join } from "node:path"
import { BRAND_MODULE } from ".."
import { Brand } from "../models/brand"
import BrandModuleService, { asHandleClash } from "../service"

jest.setTimeout(60 * 1000)

moduleIntegrationTestRunner<BrandModuleService>({
  moduleName: BRAND_MODULE,
  resolve: join(__dirname, ".."),
  // Given explicitly: models/brand.ts exports the model twice (named and default).
  moduleModels: [Brand],
  // The module's own migration, so that its partial unique index is the one under test.
  pathToMigrations: join(__dirname, "../migrations"),
  testSuite: ({ service }) => {
    describe("BrandModuleService rules", () => {
      it("trims names and settles derived handles against live brands", async () => {
        const [acme] = await service.createBrands(await service.prepareBrandsForCreate([{ name: " Acme " }]))
        expect(acme).toMatchObject({ name: "Acme", handle: "acme" })

        const prepared = await service.prepareBrandsForCreate([{ name: "ACME" }, { name: "acme" }, { name: "Acme Co" }])
        expect(prepared.map((p) => p.handle)).toEqual(["acme-2", "acme-3", "acme-co"])

        // A soft-deleted brand frees its handle.
        await service.softDeleteBrands([acme.id])
        expect((await service.prepareBrandsForCreate([{ name: "Acme" }]))[0].handle).toBe("acme")
      })

      it("finds taken suffixed handles of a base at the length limit", async () => {
        const name = "Long-name ".repeat(20).trim() // 199 characters, its handle too
        for (let i = 0; i < 3; i++) {
          await service.createBrands(await service.prepareBrandsForCreate([{ name }]))
        }
        const handles = (await service.listBrands({}, { select: ["handle"] })).map((b) => b.handle)
        expect(new Set(handles).size).toBe(3)
        expect(handles.every((h) => h.length <= 200)).toBe(true)
      })

      it("rejects bad names and handles with invalid_data on the field at fault", async () => {
        const cases: [Record<string, unknown>, string][] = [
          [{ name: "  " }, "name"],
          [{ name: "n".repeat(201) }, "name"],
          [{ name: "Ok", handle: "Not ok" }, "handle"],
          [{ name: "Ok", handle: null }, "handle"],
        ]
        for (const [input, field] of cases) {
          await expect(service.prepareBrandsForCreate([input as any])).rejects.toMatchObject({
            type: "invalid_data",
            field,
          })
        }
      })

      it("rejects a taken explicit handle on create and update, but not a brand's own", async () => {
        const [a] = await service.createBrands([{ name: "A", handle: "a" }])
        const [b] = await service.createBrands([{ name: "B", handle: "b" }])
        await expect(service.prepareBrandsForCreate([{ name: "X", handle: "a" }])).rejects.toMatchObject({
          type: "duplicate_error",
          field: "handle",
        })
        await expect(service.prepareBrandForUpdate(b.id, { handle: "a" })).rejects.toMatchObject({
          type: "duplicate_error",
        })
        expect(await service.prepareBrandForUpdate(a.id, { handle: "a", name: " A2 " })).toEqual({
          handle: "a",
          name: "A2",
        })
      })

      it("recognises the unique index refusing a live handle as a handle clash", async () => {
        await service.createBrands([{ name: "A", handle: "taken" }])
        const error = await service.createBrands([{ name: "B", handle: "taken" }]).catch((e) => e)
        const clash = asHandleClash(error)
        expect(clash).toMatchObject({ type: "duplicate_error", field: "handle" })
        expect(clash!.message).toContain('"taken"')
        expect(asHandleClash(new Error("something else"))).toBeNull()
      })
    })
  },
})
