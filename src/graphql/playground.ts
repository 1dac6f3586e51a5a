/**
 * The query GraphiQL opens with: what a shop page shows (brands, their first
 * products with pictures, and each variant's price), runnable as it opens.
 */
export const EXAMPLE_QUERY = `# Brands with their first products, as a shop sees them.
#
# Headers tab: a publishable API key (x-publishable-api-key),
# the storefront's. Its sales channels decide which products
# you see. Add {"Authorization": "Bearer <token>"} there to
# act as an admin (every product, mutations).
#
# @inContext prices the query: in a currency, as here, or in
# a region, @inContext(regionId: "reg_…"), with the region's
# own prices. Without it, price is null. Amounts are Decimal
# strings in major units ("19.5").
query Storefront @inContext(currencyCode: "eur") {
  brands(first: 5, orderBy: { field: NAME }) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      name
      handle
      products(first: 3) {
        totalCount
        nodes {
          title
          thumbnail
          images {
            url
          }
          variants {
            title
            price {
              amount
              originalAmount
              currencyCode
              onSale
            }
          }
        }
      }
    }
  }
}
`

/**
 * The playground's second tab: a search page, hits with the facets a shop
 * narrows them with, priced in euros.
 */
export const SEARCH_EXAMPLE_QUERY = `# A search page: the hits, and how many of them
# each brand, category and price range holds.
# A facet's counts leave its own filter out, so
# a shopper can widen a choice again. Try
#   filter: { brandId: ["<an id below>"] }
# A typo ("kettel") is tolerated when nothing
# matches as typed.
query Search @inContext(currencyCode: "eur") {
  searchProducts(query: "kettle", first: 5) {
    totalCount
    nodes {
      title
      brand {
        name
      }
    }
    facets {
      brands {
        count
        brand {
          id
          name
        }
      }
      categories {
        count
        category {
          name
        }
      }
      prices(bounds: ["25", "50", "100"]) {
        min
        max
        count
      }
    }
  }
}
`

export const PREDICTIVE_EXAMPLE_QUERY = `# What to show under a search box while the
# shopper types: completions of the last word
# (the untyped part in <mark>), and the first
# products, brands and categories. One request
# per keystroke: try "k", "ke", "ket".
query Predictive {
  predictiveSearch(query: "ket", limit: 5) {
    queries {
      text
      styledText
    }
    products {
      title
      brand {
        name
      }
    }
    brands {
      name
    }
    categories {
      name
    }
  }
}
`

/** The demo data's webshop key (src/scripts/demo-data.ts), preferred when it exists. */
export const WEBSHOP_KEY_TITLE = "Webshop key"

type KeyRecord = { token: string; title: string }

/**
 * The publishable API key the playground opens with, so that its example
 * runs as a storefront would: the demo data's "Webshop key", else a live key
 * titled like a webshop's, else the oldest live one. Publishable keys are
 * public (storefronts ship them to every browser); admin credentials are
 * never prefilled.
 */
export async function playgroundKey(query: { graph: (...args: any[]) => Promise<{ data: unknown[] }> }): Promise<string | null> {
  const live = async (filters: Record<string, unknown>) => {
    const { data } = await query.graph({
      entity: "api_key",
      fields: ["token", "title"],
      filters: { type: "publishable", revoked_at: null, ...filters },
      pagination: { order: { created_at: "ASC" }, take: 50 },
    })
    return data as KeyRecord[]
  }
  // Looked up by title first, so that no number of other keys hides it.
  const [webshop] = await live({ title: WEBSHOP_KEY_TITLE })
  if (webshop) return webshop.token
  const keys = await live({})
  return (keys.find((k) => /webshop/i.test(k.title)) ?? keys[0])?.token ?? null
}
