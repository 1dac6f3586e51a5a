import type { GraphQLResolveInfo } from "graphql"
import type { Resolvers, UserError, UserErrorCode } from "../__generated__/resolvers-types"
import { requireAdmin } from "../auth"
import type { GraphQLContext } from "../context"
import { readBrands } from "../../catalog/brands"
import type { BrandRecord } from "../../catalog/records"
import { brandProjection } from "../planning/entities"
import { readContextOf } from "../planning/read-context"
import { subSelection } from "../planning/selection"
import { toUserErrors } from "../user-errors"
import { createBrandsWorkflow } from "../../workflows/create-brands"
import { updateBrandWorkflow } from "../../workflows/update-brand"
import { deleteBrandsWorkflow } from "../../workflows/delete-brands"

/** Reads the brand a mutation wrote, with what the payload's `brand` selects. */
async function payloadBrand(ctx: GraphQLContext, info: GraphQLResolveInfo, id: string) {
  const fieldNodes = subSelection(info, info.fieldNodes, "BrandPayload").get("brand")
  if (!fieldNodes) return { id } as BrandRecord
  const projection = brandProjection(subSelection(info, fieldNodes, "Brand"))
  const [brand] = await readBrands(readContextOf(ctx, info), projection, { ids: [id] })
  return brand ?? null
}

/**
 * GraphQL hands input objects over without a prototype; workflows expect
 * plain objects (they call hasOwnProperty on what they pass along).
 */
function plainInput<T>(input: T): any {
  return JSON.parse(JSON.stringify(input))
}

const inputPath = (field: string | undefined): string[] => (field ? ["input", field] : ["input"])
/** A clash the unique index reports names no field: handle is the only unique one. */
const fieldOf = (code: UserErrorCode) => (code === "TAKEN" ? "handle" : undefined)

export const brandMutations: Resolvers = {
  Mutation: {
    brandCreate: async (_, { input }, ctx, info) => {
      requireAdmin(ctx)
      const { result, errors } = await createBrandsWorkflow(ctx.scope).run({
        input: { brands: [plainInput(input)] },
        throwOnError: false,
      })
      if (errors?.length) {
        return { brand: null, userErrors: toUserErrors(errors, (f, code) => inputPath(f ?? fieldOf(code))) }
      }
      return { brand: await payloadBrand(ctx, info, result[0].id), userErrors: [] }
    },

    brandUpdate: async (_, { id, input }, ctx, info) => {
      requireAdmin(ctx)
      const { errors } = await updateBrandWorkflow(ctx.scope).run({
        input: { id, update: plainInput(input) },
        throwOnError: false,
      })
      if (errors?.length) {
        const userErrors: UserError[] = toUserErrors(errors, (f, code) =>
          code === "NOT_FOUND" ? ["id"] : inputPath(f ?? fieldOf(code))
        )
        return { brand: null, userErrors }
      }
      return { brand: await payloadBrand(ctx, info, id), userErrors: [] }
    },

    brandDelete: async (_, { id }, ctx) => {
      requireAdmin(ctx)
      const { errors } = await deleteBrandsWorkflow(ctx.scope).run({
        input: { ids: [id] },
        throwOnError: false,
      })
      if (errors?.length) {
        return { deletedBrandId: null, userErrors: toUserErrors(errors, () => ["id"]) }
      }
      return { deletedBrandId: id, userErrors: [] }
    },
  },
}
