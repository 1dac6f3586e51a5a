/** The query GraphiQL opens with: brands with their first products, paging shown. */
export const EXAMPLE_QUERY = `# Brands with their first products, as a storefront sees them: the
# Headers tab holds a publishable API key (x-publishable-api-key). Add an
# admin token there ({"Authorization": "Bearer <token>"}) to see every
# product and to run mutations.
query BrandsWithProducts($first: Int = 5, $after: String) {
  brands(first: $first, after: $after, orderBy: { field: NAME }) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      handle
      products(first: 3) {
        totalCount
        nodes {
          id
          title
          status
        }
      }
    }
  }
}
`

type KeyRecord = { token: string; title: string }

/**
 * The publishable API key the playground opens with, so that its example
 * runs as a storefront would: the live key titled like the webshop's, else
 * the oldest live one. Publishable keys are public (storefronts ship them to
 * every browser); admin credentials are never prefilled.
 */
export async function playgroundKey(query: { graph: (...args: any[]) => Promise<{ data: unknown[] }> }): Promise<string | null> {
  const { data } = await query.graph({
    entity: "api_key",
    fields: ["token", "title"],
    filters: { type: "publishable", revoked_at: null },
    pagination: { order: { created_at: "ASC" }, take: 50 },
  })
  const keys = data as KeyRecord[]
  return (keys.find((k) => /webshop/i.test(k.title)) ?? keys[0])?.token ?? null
}
