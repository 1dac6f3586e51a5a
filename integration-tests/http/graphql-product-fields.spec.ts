import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createCollectionsWorkflow,
  createPriceListsWorkflow,
  createProductCategoriesWorkflow,
  createProductsWorkflow,
  createProductTagsWorkflow,
  createRegionsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
} from "@medusajs/medusa/core-flows"
import { createBrandsWorkflow } from "../../src/workflows/create-brands"
import { createAdmin } from "../helpers/admin"
import { countStatements, errorCode, gql, gqlData, type Headers } from "../helpers/graphql"
import { PUBLISHABLE_KEY_HEADER } from "../helpers/storefront"

jest.setTimeout(240 * 1000)

// A shop page's product fields: variants with prices (Medusa's Pricing module
// through Query's context, picked by @inContext), images, options,
// categories, collection and tags, all loaded by the product's own
// query.graph call. Medusa's GET /store/products is the reference for prices.

/** Products of the brand page and of the listing, beyond the main one: enough for first: 50. */
const FILLERS = 55

type StorePrice = {
  calculated_amount: number | null
  original_amount: number | null
  currency_code: string | null
  calculated_price: { price_list_type: string | null }
}

medusaIntegrationTestRunner({
  inApp: true,
  env: {},
  testSuite: ({ api, getContainer, dbConnection }) => {
    let adminHeaders: Headers
    let publishableKey: string
    let eur: { id: string }
    let usd: { id: string }
    let brandId: string
    let shirt: any
    let variantIds: Record<string, string>
    let categoryIds: Record<string, string>
    let collectionId: string
    let tagIds: Record<string, string>

    beforeAll(async () => {
      const container = getContainer()
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      adminHeaders = (await createAdmin(container, api)).headers

      const { result: regions } = await createRegionsWorkflow(container).run({
        input: {
          regions: [
            { name: "Europe", currency_code: "eur", countries: ["de", "fr"] },
            { name: "United States", currency_code: "usd", countries: ["us"] },
          ],
        },
      })
      ;[eur, usd] = regions

      // Medusa makes the default channel and publishable key on boot; make
      // them here when the runner's boot did not.
      const { data: channels } = await query.graph({ entity: "sales_channel", fields: ["id", "name"] })
      let channel = channels.find((c: any) => c.name === "Default Sales Channel") ?? channels[0]
      if (!channel) {
        const salesChannels = container.resolve(Modules.SALES_CHANNEL)
        channel = await salesChannels.createSalesChannels({ name: "Default Sales Channel" })
      }
      const { data: keys } = await query.graph({
        entity: "api_key",
        fields: ["id", "token", "title"],
        filters: { type: "publishable" },
      })
      let key = keys[0]
      if (!key) {
        const { result } = await createApiKeysWorkflow(container).run({
          input: { api_keys: [{ title: "Default Publishable API Key", type: "publishable", created_by: "" }] },
        })
        key = result[0]
        await linkSalesChannelsToApiKeyWorkflow(container).run({ input: { id: key.id, add: [channel.id] } })
      }
      publishableKey = key.token
      // Callers without admin credentials read as this storefront, here and in GraphQL.
      api.defaults.headers.common[PUBLISHABLE_KEY_HEADER] = publishableKey

      // Clothing > Shirts (active), Clothing > Archive (inactive), Staff picks (internal).
      const { result: [clothing, staff] } = await createProductCategoriesWorkflow(container).run({
        input: {
          product_categories: [
            { name: "Clothing", handle: "clothing", is_active: true },
            { name: "Staff picks", handle: "staff-picks", is_active: true, is_internal: true },
          ],
        },
      })
      const { result: [shirts, archive] } = await createProductCategoriesWorkflow(container).run({
        input: {
          product_categories: [
            { name: "Shirts", handle: "shirts", is_active: true, parent_category_id: clothing.id },
            { name: "Archive", handle: "archive", is_active: false, parent_category_id: clothing.id },
          ],
        },
      })
      categoryIds = { clothing: clothing.id, staff: staff.id, shirts: shirts.id, archive: archive.id }

      const { result: [collection] } = await createCollectionsWorkflow(container).run({
        input: { collections: [{ title: "Summer", handle: "summer" }] },
      })
      collectionId = collection.id
      const { result: tags } = await createProductTagsWorkflow(container).run({
        input: { product_tags: [{ value: "linen" }, { value: "new" }] },
      })
      tagIds = Object.fromEntries(tags.map((t: any) => [t.value, t.id]))

      const { result: [brand] } = await createBrandsWorkflow(container).run({ input: { brands: [{ name: "Fjord" }] } })
      brandId = brand.id

      const price = (eurAmount: number, usdAmount: number, eurRegionAmount?: number) => [
        { amount: eurAmount, currency_code: "eur" },
        { amount: usdAmount, currency_code: "usd" },
        // A region's own price wins over the currency's in that region.
        ...(eurRegionAmount != null ? [{ amount: eurRegionAmount, currency_code: "eur", rules: { region_id: eur.id } }] : []),
      ]
      const { result: [created] } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Linen Shirt",
              handle: "linen-shirt",
              status: "published",
              options: [
                { title: "Size", values: ["S", "M"] },
                { title: "Colour", values: ["White", "Blue"] },
              ],
              variants: [
                { title: "S / White", sku: "LS-S-W", variant_rank: 0, options: { Size: "S", Colour: "White" }, prices: price(49.99, 55, 44.5) },
                { title: "M / Blue", sku: null, variant_rank: 1, options: { Size: "M", Colour: "Blue" }, prices: price(52.9, 58) },
              ],
              images: [{ url: "https://img.test/front.jpg" }, { url: "https://img.test/back.jpg" }],
              category_ids: [shirts.id, archive.id, staff.id],
              collection_id: collection.id,
              tag_ids: [tagIds.linen, tagIds.new],
              sales_channels: [{ id: channel.id }],
            },
            ...Array.from({ length: FILLERS }, (_, i) => ({
              title: `Filler ${String(i).padStart(2, "0")}`,
              status: "published",
              options: [{ title: "Size", values: ["One"] }],
              variants: [{ title: "One", options: { Size: "One" }, prices: price(10 + i, 12 + i) }],
              sales_channels: [{ id: channel.id }],
            })),
          ] as any,
          additional_data: { brand_id: brand.id },
        },
      })
      shirt = created
      const { data: [withVariants] } = await query.graph({
        entity: "product",
        fields: ["variants.id", "variants.title", "images.id", "images.url", "images.rank"],
        filters: { id: created.id },
      })
      shirt = { ...created, ...withVariants }
      variantIds = Object.fromEntries(withVariants.variants.map((v: any) => [v.title, v.id]))

      // A sale on the white shirt, in euros.
      await createPriceListsWorkflow(container).run({
        input: {
          price_lists_data: [
            {
              title: "Summer sale",
              description: "Linen for less",
              type: "sale",
              status: "active",
              prices: [{ amount: 39.95, currency_code: "eur", variant_id: variantIds["S / White"] }],
            },
          ],
        } as any,
      })
    })

    const SHIRT_FIELDS = `
      id
      variants { id title sku options { option value } price { amount originalAmount currencyCode onSale } }
      images { id url rank }
      options { id title values }
      categories { id name handle parent { id handle parent { id } } }
      collection { id title handle }
      tags { id value }
    `

    /** GET /store/products for the product in a region: Medusa's own calculated prices, by variant id. */
    const storePrices = async (productId: string, regionId: string): Promise<Record<string, StorePrice>> => {
      const { data } = await api.get(
        `/store/products?id[]=${productId}&region_id=${regionId}&fields=*variants.calculated_price`,
        { headers: { "x-publishable-api-key": publishableKey } }
      )
      expect(data.products).toHaveLength(1)
      return Object.fromEntries(data.products[0].variants.map((v: any) => [v.id, v.calculated_price]))
    }

    it("resolves every catalog field with Medusa's values", async () => {
      const data = await gqlData(
        api,
        `query ($id: ID!) @inContext(regionId: "${eur.id}") { product(id: $id) { ${SHIRT_FIELDS} } }`,
        { id: shirt.id },
        adminHeaders
      )
      const p = data.product
      expect(p.variants).toEqual([
        {
          id: variantIds["S / White"],
          title: "S / White",
          sku: "LS-S-W",
          options: expect.arrayContaining([{ option: "Size", value: "S" }, { option: "Colour", value: "White" }]),
          // The sale price list beats the region's price; the original is the region's price.
          price: { amount: "39.95", originalAmount: "44.5", currencyCode: "eur", onSale: true },
        },
        {
          id: variantIds["M / Blue"],
          title: "M / Blue",
          sku: null,
          options: expect.arrayContaining([{ option: "Size", value: "M" }, { option: "Colour", value: "Blue" }]),
          price: { amount: "52.9", originalAmount: "52.9", currencyCode: "eur", onSale: false },
        },
      ])
      expect(p.variants.map((v: any) => v.options.length)).toEqual([2, 2])

      const ranks = [...shirt.images].sort((a: any, b: any) => a.rank - b.rank)
      expect(p.images).toEqual(ranks.map((i: any) => ({ id: i.id, url: i.url, rank: i.rank })))
      expect(p.images.map((i: any) => i.url).sort()).toEqual(["https://img.test/back.jpg", "https://img.test/front.jpg"])

      expect(p.options.map((o: any) => [o.title, [...o.values].sort()]).sort()).toEqual([
        ["Colour", ["Blue", "White"]],
        ["Size", ["M", "S"]],
      ])
      expect(p.options.every((o: any) => o.id.startsWith("opt_"))).toBe(true)

      // An admin sees every category, the inactive and the internal one too.
      expect([...p.categories].sort((a: any, b: any) => a.handle.localeCompare(b.handle))).toEqual([
        { id: categoryIds.archive, name: "Archive", handle: "archive", parent: { id: categoryIds.clothing, handle: "clothing", parent: null } },
        { id: categoryIds.shirts, name: "Shirts", handle: "shirts", parent: { id: categoryIds.clothing, handle: "clothing", parent: null } },
        { id: categoryIds.staff, name: "Staff picks", handle: "staff-picks", parent: null },
      ])
      expect(p.collection).toEqual({ id: collectionId, title: "Summer", handle: "summer" })
      expect([...p.tags].sort((a: any, b: any) => a.value.localeCompare(b.value))).toEqual([
        { id: tagIds.linen, value: "linen" },
        { id: tagIds.new, value: "new" },
      ])

      // A product without them: empty lists, no collection.
      const filler = await gqlData(api, `{ products(first: 1, filter: { title: { eq: "Filler 00" } }) { nodes { images { id } categories { id } collection { id } tags { id } } } }`)
      expect(filler.products.nodes).toEqual([{ images: [], categories: [], collection: null, tags: [] }])
    })

    it("gives the prices GET /store/products gives for the same region", async () => {
      for (const region of [eur, usd]) {
        const store = await storePrices(shirt.id, region.id)
        const data = await gqlData(
          api,
          `query ($id: ID!, $region: ID) @inContext(regionId: $region) {
            product(id: $id) { variants { id price { amount originalAmount currencyCode onSale } } }
          }`,
          { id: shirt.id, region: region.id }
        )
        expect(data.product.variants).toHaveLength(2)
        for (const v of data.product.variants) {
          const s = store[v.id]
          expect({ region: region.id, variant: v.id, price: v.price && { ...v.price, amount: Number(v.price.amount), originalAmount: Number(v.price.originalAmount) } }).toEqual({
            region: region.id,
            variant: v.id,
            price: {
              amount: s.calculated_amount,
              originalAmount: s.original_amount,
              currencyCode: s.currency_code,
              onSale: s.calculated_price.price_list_type === "sale",
            },
          })
        }
      }
    })

    it("takes a currency as context; without @inContext price is null; a bad context is the caller's error", async () => {
      const read = (directive: string) =>
        gql(api, `query ($id: ID!) ${directive} { product(id: $id) { variants { title price { amount originalAmount currencyCode onSale } } } }`, { id: shirt.id })

      // The currency's prices, without the region's own price; the sale is in euros.
      const inEur = await read(`@inContext(currencyCode: "EUR")`)
      expect(inEur.errors).toBeUndefined()
      expect(inEur.data!.product.variants.map((v: any) => [v.title, v.price])).toEqual([
        ["S / White", { amount: "39.95", originalAmount: "49.99", currencyCode: "eur", onSale: true }],
        ["M / Blue", { amount: "52.9", originalAmount: "52.9", currencyCode: "eur", onSale: false }],
      ])
      const inUsd = await read(`@inContext(currencyCode: "usd")`)
      expect(inUsd.data!.product.variants.map((v: any) => v.price)).toEqual([
        { amount: "55", originalAmount: "55", currencyCode: "usd", onSale: false },
        { amount: "58", originalAmount: "58", currencyCode: "usd", onSale: false },
      ])
      // A currency no variant has a price in: null, not an error.
      const inGbp = await read(`@inContext(currencyCode: "gbp")`)
      expect(inGbp.data!.product.variants.map((v: any) => v.price)).toEqual([null, null])

      const none = await read("")
      expect(none.errors).toBeUndefined()
      expect(none.data!.product.variants.map((v: any) => v.price)).toEqual([null, null])

      for (const [directive, argument] of [
        [`@inContext(regionId: "reg_unknown")`, "regionId"],
        [`@inContext(currencyCode: "euro")`, "currencyCode"],
        [`@inContext(regionId: "${usd.id}", currencyCode: "eur")`, "currencyCode"],
        [`@inContext`, undefined],
      ] as const) {
        const res = await read(directive)
        expect({ directive, code: errorCode(res), argument: res.errors?.[0]?.extensions?.argument, message: res.errors?.[0]?.message }).toEqual({
          directive,
          code: "BAD_USER_INPUT",
          argument,
          message: expect.stringContaining("@inContext"),
        })
      }
      // The directive belongs on queries only.
      const onMutation = await gql(api, `mutation @inContext(currencyCode: "eur") { productUnsetBrand(productId: "x") { userErrors { code } } }`, {}, adminHeaders)
      expect(onMutation.errors?.[0]?.message).toBe(`Directive "@inContext" may not be used on MUTATION.`)
    })

    it("shows storefront callers only the categories Medusa's store shows", async () => {
      const query = `query ($id: ID!) { product(id: $id) { categories { handle parent { handle } } } }`
      const anonymous = await gqlData(api, query, { id: shirt.id })
      expect(anonymous.product.categories).toEqual([{ handle: "shirts", parent: { handle: "clothing" } }])
      const admin = await gqlData(api, query, { id: shirt.id }, adminHeaders)
      expect(admin.product.categories.map((c: any) => c.handle).sort()).toEqual(["archive", "shirts", "staff-picks"])

      // A hidden parent is null for anonymous callers (a query of its own: the earlier answer is cached).
      await dbConnection.raw(`update product_category set is_active = false where id = ?`, [categoryIds.clothing])
      try {
        const again = `query ($id: ID!) { product(id: $id) { categories { handle parent { handle name } } } }`
        const hiddenParent = await gqlData(api, again, { id: shirt.id })
        expect(hiddenParent.product.categories).toEqual([{ handle: "shirts", parent: null }])
        const fresh = await gqlData(api, again, { id: shirt.id }, { ...adminHeaders, "cache-control": "no-cache" })
        expect(fresh.product.categories.find((c: any) => c.handle === "shirts").parent).toEqual({ handle: "clothing", name: "Clothing" })
      } finally {
        await dbConnection.raw(`update product_category set is_active = true where id = ?`, [categoryIds.clothing])
      }
    })

    it("asks Query only for the relations the selection names", async () => {
      const statementsOf = async (query: string, variables: Record<string, unknown> = {}) => {
        const headers = { ...adminHeaders, "cache-control": "no-cache" }
        await gqlData(api, query, variables, headers)
        const { result, statements } = await countStatements(() => gql(api, query, variables, headers))
        expect(result.errors).toBeUndefined()
        return statements
      }
      const touches = (statements: string[], table: string) => statements.filter((s) => new RegExp(`"${table}"`).test(s)).length
      const tables = ["product_variant", "price", "price_set", "image", "product_option", "product_category", "product_collection", "product_tag"]
      const profile = (statements: string[]) => Object.fromEntries(tables.map((t) => [t, touches(statements, t) > 0]))

      const bare = await statementsOf(`{ products(first: 5) { nodes { id title } } }`)
      expect(profile(bare)).toEqual(Object.fromEntries(tables.map((t) => [t, false])))

      const variantsNoPrice = await statementsOf(`query @inContext(regionId: "${eur.id}") { products(first: 5) { nodes { variants { title } } } }`)
      expect(profile(variantsNoPrice)).toMatchObject({ product_variant: true, price: false, price_set: false, image: false })

      const priceNoContext = await statementsOf(`{ products(first: 5) { nodes { variants { price { amount } } } } }`)
      expect(profile(priceNoContext)).toMatchObject({ product_variant: true, price: false, price_set: false })

      const withPrice = await statementsOf(`query @inContext(regionId: "${eur.id}") { products(first: 5) { nodes { variants { price { amount } } } } }`)
      expect(profile(withPrice)).toMatchObject({ product_variant: true, price: true, image: false, product_tag: false })

      const tagsOnly = await statementsOf(`{ products(first: 5) { nodes { tags { value } } } }`)
      expect(profile(tagsOnly)).toMatchObject({ product_tag: true, product_variant: false, product_category: false })
    })

    it("makes as many statements for 50 products with prices as for 5, in a listing and on a brand page", async () => {
      const headersOf = (who: "admin" | "anonymous") => (who === "admin" ? { ...adminHeaders, "cache-control": "no-cache" } : {})
      const statementsOf = async (query: string, who: "admin" | "anonymous" = "admin") => {
        await gqlData(api, query, {}, headersOf(who))
        // The fewer of two runs: statements of work in the background (an event's
        // handler, the search index) made during one are counted with it.
        const runs = [
          await countStatements(() => gql(api, query, {}, headersOf(who))),
          await countStatements(() => gql(api, query, {}, headersOf(who))),
        ]
        const { result, statements } = runs[0].statements.length <= runs[1].statements.length ? runs[0] : runs[1]
        expect(result.errors).toBeUndefined()
        return { statements, nodes: JSON.stringify(result.data).match(/"amount"/g)?.length ?? 0 }
      }
      const inEur = `@inContext(regionId: "${eur.id}")`
      const listing = (n: number) =>
        `query ${inEur} { products(first: ${n}) { nodes { id title variants { id sku options { option value } price { amount originalAmount currencyCode onSale } } images { url } } } }`
      const brandPage = (n: number) =>
        `query ${inEur} { brand(id: "${brandId}") { name products(first: ${n}) { totalCount nodes { id title variants { id price { amount currencyCode onSale } } } } } }`
      const catalog = (n: number) =>
        `query ${inEur} { products(first: ${n}) { nodes { id variants { id price { amount } } images { url } options { title values } categories { name parent { name } } collection { title } tags { value } } } }`
      const noPrices = (n: number) => `{ products(first: ${n}) { nodes { id title variants { id title } } } }`

      const rows: [string, number, number, number][] = []
      const measure = async (label: string, build: (n: number) => string, who: "admin" | "anonymous" = "admin") => {
        const small = await statementsOf(build(5), who)
        const large = await statementsOf(build(50), who)
        rows.push([label, small.statements.length, large.statements.length, large.nodes])
        expect({ label, first50: large.statements.length }).toEqual({ label, first50: small.statements.length })
        return { small, large }
      }
      const l = await measure("products + variants (options, price) + images", listing)
      expect(l.large.nodes).toBeGreaterThanOrEqual(50)
      const b = await measure("brand page: brand + products(first: n) + variants + price + totalCount", brandPage)
      expect(b.large.nodes).toBeGreaterThanOrEqual(50)
      await measure("products + every catalog field + price", catalog)
      await measure("products + variants, no @inContext", noPrices)
      await measure("products + variants (options, price) + images, anonymous, from the read cache", listing, "anonymous")

      console.log(
        [
          "| Request (region context, admin, past the read cache unless said) | first: 5 | first: 50 | prices in the answer (first: 50) |",
          "| --- | ---: | ---: | ---: |",
          ...rows.map(([label, s, lg, n]) => `| ${label} | ${s} | ${lg} | ${n} |`),
        ].join("\n")
      )
    })
  },
})
