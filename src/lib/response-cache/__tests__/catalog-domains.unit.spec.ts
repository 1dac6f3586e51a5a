import { buildSchema } from "../../../graphql/schema"
import { CATALOG_DOMAINS, documentDomains, domainsOfEvent } from "../catalog-domains"

describe("domainsOfEvent", () => {
  it.each([
    ["product.updated", ["product"]],
    ["product-variant.created", ["product"]],
    ["product-category.deleted", ["product"]],
    ["brand.brand.updated", ["brand"]],
    ["LinkProductProductBrandBrand.attached", ["product", "brand"]],
    ["pricing.price.updated", ["price"]],
    ["pricing.price-list.created", ["price"]],
    ["region.updated", ["price"]],
    ["api-key.updated", ["access"]],
    ["sales-channel.deleted", ["access"]],
    ["LinkProductSalesChannel.detached", ["product", "access"]],
    ["LinkPublishableApiKeySalesChannel.attached", ["access"]],
  ])("%s changes %j", (name, domains) => {
    expect(domainsOfEvent(name).sort()).toEqual([...domains].sort())
  })

  it.each(["cart.created", "order.placed", "customer.updated", "auth.password_reset", "cart.region_updated"])(
    "%s changes nothing a catalog read shows",
    (name) => expect(domainsOfEvent(name)).toEqual([])
  )
})

describe("documentDomains", () => {
  const domainsOf = documentDomains(buildSchema())

  it("reads the domains of the types a document selects, and access always", () => {
    expect(domainsOf("{ brands(first: 2) { nodes { name } } }")).toEqual(["brand", "access"])
    expect(domainsOf("{ products(first: 2) { nodes { title } } }")).toEqual(["product", "access"])
    expect(domainsOf("{ products(first: 2) { nodes { brand { name } variants { price { amount } } } } }")).toEqual([
      "product",
      "brand",
      "price",
      "access",
    ])
    expect(domainsOf("{ __typename }")).toEqual(["access"])
    // Hits and facets come from the search index.
    expect(domainsOf(`{ searchProducts(query: "x") { nodes { title } } }`)).toEqual(["product", "access", "search"])
  })

  it("depends on everything for abstract types and for documents it cannot read", () => {
    expect(domainsOf(`{ node(id: "x") { id } }`)).toEqual([...CATALOG_DOMAINS])
    expect(domainsOf("{ products(")).toEqual([...CATALOG_DOMAINS])
  })
})
