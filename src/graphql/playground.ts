/** The query GraphiQL opens with: brands with their first products, paging shown. */
export const EXAMPLE_QUERY = `# Brands with their first products. Add an admin token in the
# Headers tab ({"Authorization": "Bearer <token>"}) to see unpublished
# products and to run mutations.
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
