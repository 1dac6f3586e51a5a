import {
  getNamedType,
  isAbstractType,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type GraphQLSchema,
} from "graphql"
import { LRUCache } from "lru-cache"

/**
 * The parts of the catalog a cached answer can depend on, each with a
 * version that a change bumps: products (and their variants, options,
 * categories, collections, tags, sales channels), brands, prices (and
 * regions, which decide a price's currency), access (publishable keys
 * and sales channels, which decide what a storefront sees), and search (the
 * search index, bumped once a write to it has landed: see
 * src/modules/search-postgres).
 */
export const CATALOG_DOMAINS = ["product", "brand", "price", "access", "search"] as const
export type CatalogDomain = (typeof CATALOG_DOMAINS)[number]

/**
 * The domains a Medusa event changes, from its name: the modules' own
 * events (`product.updated`, `pricing.price.created`, `brand.brand.deleted`)
 * and the links' (`LinkProductProductBrandBrand.attached`, whose payload
 * names only the link row, so the name is all there is). Events of other
 * modules (carts, orders, customers, auth) change nothing a catalog read shows.
 */
export function domainsOfEvent(name: string): CatalogDomain[] {
  const n = name.toLowerCase()
  const domains = new Set<CatalogDomain>()
  if (n.includes("brand")) domains.add("brand")
  if (n.includes("product") || n.includes("inventory")) domains.add("product")
  if (n.includes("price") || n.includes("pricing") || n.startsWith("region.")) domains.add("price")
  if (/api[-_]?key|sales[-_]?channel/.test(n)) domains.add("access")
  return [...domains]
}

/** The domain of a type of the schema, by name; `undefined` for types that hold no catalog data. */
function domainOfType(name: string): CatalogDomain | undefined {
  if (name.startsWith("Brand")) return "brand"
  if (name.startsWith("Price")) return "price"
  if (name.startsWith("Product") || name.startsWith("Category")) return "product"
  return undefined
}

/**
 * The domains an operation reads, from the types of the fields it selects:
 * `brands { name }` depends on brands alone; `products { variants { price } }`
 * on products and prices. Access is always included: who may see what is
 * part of every answer. A field of an abstract type (`node`) could be
 * anything, and so could a document that does not parse: both depend on all.
 * Memoized per document (`maxDocuments` at most).
 */
export function documentDomains(schema: GraphQLSchema, maxDocuments = 1000) {
  const memo = new LRUCache<string, CatalogDomain[]>({ max: maxDocuments })
  return (document: string): CatalogDomain[] => {
    let domains = memo.get(document)
    if (!domains) {
      domains = readDomains(schema, document)
      memo.set(document, domains)
    }
    return domains
  }
}

function readDomains(schema: GraphQLSchema, document: string): CatalogDomain[] {
  let ast
  try {
    ast = parse(document, { noLocation: true })
  } catch {
    return [...CATALOG_DOMAINS]
  }
  const found = new Set<CatalogDomain>(["access"])
  const typeInfo = new TypeInfo(schema)
  visit(
    ast,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        // The hits and facets of a search come from the index, which follows writes on its own time.
        if (node.name.value === "searchProducts" && typeInfo.getParentType()?.name === "Query") found.add("search")
        const type = typeInfo.getType()
        if (!type) return
        const named = getNamedType(type)
        if (isAbstractType(named)) CATALOG_DOMAINS.forEach((d) => found.add(d))
        const domain = domainOfType(named.name)
        if (domain) found.add(domain)
      },
    })
  )
  return CATALOG_DOMAINS.filter((d) => found.has(d))
}
