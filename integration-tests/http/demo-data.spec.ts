// The demo shop the seed builds around the 200 demo products: regions,
// sales channels and their publishable keys, variants with prices, the sale,
// categories, collections, tags and images. Expectations come from the seed's
// exported rules; Medusa's own /store routes are the reference for what a
// storefront with each key sees.
import { readdirSync } from "node:fs"
import { resolve } from "node:path"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import {
  DEMO_BRANDS,
  DEMO_CATEGORIES,
  DEMO_CHANNELS,
  DEMO_COLLECTIONS,
  DEMO_PRODUCT_COUNT,
  DEMO_REGIONS,
  DEMO_SALE,
  DEMO_TAGS,
  demoCategories,
  demoChannels,
  demoCollection,
  demoImages,
  demoOnSale,
  demoProduct,
  demoSalePrice,
  demoTags,
  demoVariants,
  seedDemoData,
  type DemoChannel,
} from "../../src/scripts/demo-data"
import { DEMO_LOCATIONS, demoStock } from "../../src/scripts/demo-stock"
import {
  DEMO_BRAND_TRANSLATIONS,
  DEMO_CATEGORY_TRANSLATIONS,
  DEMO_OPTION_TRANSLATIONS,
  demoProductTranslation,
  demoTranslated,
} from "../../src/scripts/demo-translations"

jest.setTimeout(120 * 1000)

const numbers = Array.from({ length: DEMO_PRODUCT_COUNT }, (_, n) => n)
const numberByHandle = new Map(numbers.map((n) => [demoProduct(n).handle, n]))
const sorted = <T>(xs: T[]) => [...xs].sort()
const DEMO_BRANDS_NAMES = DEMO_BRANDS.map((b) => b.name)

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer, dbConnection }) => {
    let query: any
    /** Every demo product with what the rules decide, by product number. */
    let products: Map<number, any>
    let tokens: Record<DemoChannel | "default", string>
    let regionIds: Record<string, string>

    beforeAll(async () => {
      await seedDemoData(getContainer())
      query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "product",
        fields: [
          "id", "handle", "status", "thumbnail",
          "options.title", "options.values.value",
          "variants.sku", "variants.title", "variants.manage_inventory", "variants.options.value",
          "variants.prices.amount", "variants.prices.currency_code", "variants.prices.price_list_id",
          "sales_channels.name", "categories.handle", "collection.handle", "tags.value",
          "images.url", "images.rank",
        ],
        filters: { handle: [...numberByHandle.keys()] },
      })
      products = new Map(data.map((p: any) => [numberByHandle.get(p.handle)!, p]))
      const { rows: keys } = await dbConnection.raw(
        `select title, token from api_key where type = 'publishable' and revoked_at is null and deleted_at is null`
      )
      const tokenOf = (title: string) => keys.find((k: any) => k.title === title)!.token
      tokens = {
        webshop: tokenOf(DEMO_CHANNELS.webshop.keyTitle),
        wholesale: tokenOf(DEMO_CHANNELS.wholesale.keyTitle),
        default: tokenOf("Default Publishable API Key"),
      }
      const { data: regions } = await query.graph({ entity: "region", fields: ["id", "name"] })
      regionIds = Object.fromEntries(regions.map((r: any) => [r.name, r.id]))
    })

    /** Every product `GET /store/products` lists for a key and region, page by page. */
    const storeProducts = async (token: string, params: Record<string, string> = {}) => {
      const all: any[] = []
      for (let offset = 0; ; offset += 100) {
        const { data } = await api.get("/store/products", {
          headers: { "x-publishable-api-key": token },
          params: { limit: 100, offset, order: "handle", ...params },
        })
        all.push(...data.products)
        if (offset + 100 >= data.count) return all
      }
    }

    it("leaves the 200 products as they were: titles, handles, statuses", () => {
      expect(products.size).toBe(DEMO_PRODUCT_COUNT)
      for (const n of numbers) expect(products.get(n).status).toBe(demoProduct(n).status)
    })

    it("makes two regions in EUR and USD, and the store sells in both", async () => {
      const { data: regions } = await query.graph({
        entity: "region",
        fields: ["name", "currency_code", "countries.iso_2"],
      })
      expect(
        regions.map((r: any) => ({ name: r.name, currency_code: r.currency_code, countries: sorted(r.countries.map((c: any) => c.iso_2)) }))
      ).toEqual(
        expect.arrayContaining(DEMO_REGIONS.map((r) => ({ name: r.name, currency_code: r.currency_code, countries: sorted([...r.countries]) })))
      )
      expect(regions).toHaveLength(DEMO_REGIONS.length)
      const { data: stores } = await query.graph({
        entity: "store",
        fields: ["supported_currencies.currency_code", "supported_currencies.is_default"],
      })
      expect(sorted(stores[0].supported_currencies.map((c: any) => `${c.currency_code}${c.is_default ? "*" : ""}`))).toEqual(["eur*", "usd"])
    })

    it("makes the Webshop and Wholesale channels, each with a publishable key linked to it alone", async () => {
      const { data: keys } = await query.graph({
        entity: "api_key",
        fields: ["title", "type", "token", "revoked_at", "sales_channels.name"],
      })
      const byTitle = new Map(keys.map((k: any) => [k.title, k]))
      for (const c of Object.values(DEMO_CHANNELS)) {
        const key: any = byTitle.get(c.keyTitle)
        expect(key).toMatchObject({ type: "publishable", revoked_at: null })
        expect(key.token).toMatch(/^pk_/)
        expect(key.sales_channels.map((s: any) => s.name)).toEqual([c.name])
      }
      // Medusa's default key stays, linked to the default channel.
      expect((byTitle.get("Default Publishable API Key") as any).sales_channels.map((s: any) => s.name)).toEqual([
        "Default Sales Channel",
      ])
    })

    it("puts each product in the channels demoChannels names, and every product in at least one", () => {
      const names = { webshop: DEMO_CHANNELS.webshop.name, wholesale: DEMO_CHANNELS.wholesale.name }
      for (const n of numbers) {
        expect(demoChannels(n).length).toBeGreaterThan(0)
        expect([n, sorted(products.get(n).sales_channels.map((c: any) => c.name))]).toEqual([
          n,
          sorted(demoChannels(n).map((c) => names[c])),
        ])
      }
      // Both kinds of single-channel products exist.
      expect(numbers.filter((n) => demoChannels(n).join() === "wholesale").length).toBeGreaterThan(10)
      expect(numbers.filter((n) => demoChannels(n).join() === "webshop").length).toBeGreaterThan(5)
    })

    it("gives each product a Size option and 1 to 3 variants priced in EUR and USD", () => {
      for (const n of numbers) {
        const p = products.get(n)
        const expected = demoVariants(n)
        expect(p.options.map((o: any) => [o.title, sorted(o.values.map((v: any) => v.value))])).toEqual([
          ["Size", sorted(expected.map((v) => v.size))],
        ])
        const variants = p.variants.map((v: any) => ({
          sku: v.sku,
          title: v.title,
          size: v.options.map((o: any) => o.value),
          prices: Object.fromEntries(
            v.prices.filter((x: any) => !x.price_list_id).map((x: any) => [x.currency_code, Number(x.amount)])
          ),
        }))
        expect(variants.sort((a: any, b: any) => (a.sku < b.sku ? -1 : 1))).toEqual(
          expected
            .map((v) => ({ sku: v.sku, title: v.title, size: [v.size], prices: v.prices }))
            .sort((a, b) => (a.sku < b.sku ? -1 : 1))
        )
      }
      expect(products.get(1).variants.map((v: any) => v.sku).sort()).toEqual([
        `${demoProduct(1).handle}-m`,
        `${demoProduct(1).handle}-s`,
      ])
    })

    it("lowers the sale brand's variant prices in an active sale price list, in both currencies", async () => {
      const { data: lists } = await query.graph({ entity: "price_list", fields: ["id", "title", "type", "status"] })
      expect(lists).toHaveLength(1)
      expect(lists[0]).toMatchObject({ title: DEMO_SALE.title, type: "sale", status: "active" })
      const onSale = numbers.filter(demoOnSale)
      expect(onSale.length).toBeGreaterThan(10)
      // Query's variant prices leave price-list prices out: read the list's prices with their variants.
      const { rows } = await dbConnection.raw(
        `select v.sku, p.currency_code, p.amount from price p
           join product_variant_price_set l on l.price_set_id = p.price_set_id and l.deleted_at is null
           join product_variant v on v.id = l.variant_id
          where p.price_list_id = ? and p.deleted_at is null`,
        [lists[0].id]
      )
      const listed = rows.map((r: any) => `${r.sku} ${r.currency_code} ${Number(r.amount)}`)
      const expected = onSale.flatMap((n) =>
        demoVariants(n).flatMap((v) => [
          `${v.sku} eur ${demoSalePrice(v.prices.eur)}`,
          `${v.sku} usd ${demoSalePrice(v.prices.usd)}`,
        ])
      )
      expect(sorted(listed)).toEqual(sorted(expected))
      expect(demoSalePrice(49.5)).toBe(39.6)
    })

    it("builds the category tree and files each product under demoCategories", async () => {
      const { data: categories } = await query.graph({
        entity: "product_category",
        fields: ["handle", "name", "is_active", "is_internal", "parent_category.handle"],
      })
      expect(
        sorted(categories.map((c: any) => `${c.parent_category?.handle ?? ""}/${c.handle} ${c.is_active} ${c.is_internal}`))
      ).toEqual(
        sorted(DEMO_CATEGORIES.map((c) => `${c.parent ?? ""}/${c.handle} ${c.is_active ?? true} ${c.is_internal ?? false}`))
      )
      for (const n of numbers) {
        expect([n, sorted(products.get(n).categories.map((c: any) => c.handle))]).toEqual([n, sorted(demoCategories(n))])
        expect(demoCategories(n).length).toBeGreaterThanOrEqual(1)
        expect(demoCategories(n).length).toBeLessThanOrEqual(2)
      }
      // Storefronts see neither the internal nor the inactive category.
      const { data: store } = await api.get("/store/product-categories?limit=50", {
        headers: { "x-publishable-api-key": tokens.webshop },
      })
      expect(sorted(store.product_categories.map((c: any) => c.handle))).toEqual(
        sorted(DEMO_CATEGORIES.filter((c) => !c.is_internal && c.is_active !== false).map((c) => c.handle))
      )
    })

    it("puts products in the collections and tags demoCollection and demoTags name", async () => {
      const { data: collections } = await query.graph({ entity: "product_collection", fields: ["handle", "title"] })
      expect(sorted(collections.map((c: any) => c.title))).toEqual(sorted(DEMO_COLLECTIONS.map((c) => c.title)))
      const { data: tags } = await query.graph({ entity: "product_tag", fields: ["value"] })
      expect(sorted(tags.map((t: any) => t.value))).toEqual(sorted([...DEMO_TAGS]))
      for (const n of numbers) {
        const p = products.get(n)
        expect([n, p.collection?.handle ?? null, sorted(p.tags.map((t: any) => t.value))]).toEqual([
          n,
          demoCollection(n),
          sorted(demoTags(n)),
        ])
      }
      for (const c of DEMO_COLLECTIONS) expect(numbers.filter((n) => demoCollection(n) === c.handle).length).toBeGreaterThan(10)
      for (const t of DEMO_TAGS) expect(numbers.filter((n) => demoTags(n).includes(t)).length).toBeGreaterThan(10)
    })

    it("gives each product a thumbnail and 1 to 3 ranked images the server itself serves", async () => {
      const urls = new Set<string>()
      for (const n of numbers) {
        const p = products.get(n)
        const images = [...p.images].sort((a: any, b: any) => a.rank - b.rank)
        const names = demoImages(n)
        expect(images.map((i: any) => i.rank)).toEqual(names.map((_, i) => i))
        // Stored names carry the provider's timestamp prefix: demo/<ms>-<name>.svg.
        images.forEach((image: any, i: number) => expect(image.url).toMatch(new RegExp(`/static/demo/\\d+-${names[i]}\\.svg$`)))
        expect(p.thumbnail).toBe(images[0].url)
        images.forEach((i: any) => urls.add(i.url))
      }
      expect(urls.size).toBeGreaterThan(20)
      // The URLs name port 9000 or PORT (the File Module's backend URL); the
      // test server listens elsewhere, so ask it for the same path.
      for (const url of [...urls].slice(0, 5)) {
        const response = await api.get(new URL(url).pathname, { responseType: "text" })
        expect(response.status).toBe(200)
        expect(response.headers["content-type"]).toMatch(/^image\/svg\+xml/)
        expect(response.data).toMatch(/^<svg /)
      }
      const stored = readdirSync(resolve(process.cwd(), "static/demo"))
      for (const url of urls) expect(stored).toContain(url.split("/").pop())
    })

    it("lists, to each key's storefront, exactly the published products its channel sells, priced in the region", async () => {
      for (const channel of ["webshop", "wholesale"] as const) {
        const listed = await storeProducts(tokens[channel], {
          region_id: regionIds["Europe"],
          fields: "handle,variants.sku,*variants.calculated_price",
        })
        const expected = numbers.filter((n) => demoProduct(n).status === "published" && demoChannels(n).includes(channel))
        expect(sorted(listed.map((p) => p.handle))).toEqual(sorted(expected.map((n) => demoProduct(n).handle)))

        for (const p of listed) {
          const n = numberByHandle.get(p.handle)!
          const bySku = new Map(demoVariants(n).map((v) => [v.sku, v]))
          for (const v of p.variants) {
            const eur = bySku.get(v.sku)!.prices.eur
            expect(v.calculated_price).toMatchObject({
              currency_code: "eur",
              original_amount: eur,
              calculated_amount: demoOnSale(n) ? demoSalePrice(eur) : eur,
            })
          }
        }
      }
      // In the US region, prices are in USD.
      const us = await storeProducts(tokens.webshop, {
        region_id: regionIds["United States"],
        fields: "handle,variants.sku,*variants.calculated_price",
        handle: demoProduct(0).handle,
      })
      expect(us.map((p) => p.variants[0].calculated_price.calculated_amount)).toEqual([demoVariants(0)[0].prices.usd])
      // Medusa's default key sells from the default channel, which holds no demo product.
      expect(await storeProducts(tokens.default)).toEqual([])
    })

    it("keeps stock for the variants demoStock names, in a warehouse per channel: Medusa's /store/products shows it per key", async () => {
      const managed = numbers.flatMap((n) => demoVariants(n).map((v, i) => ({ n, sku: v.sku, stock: demoStock(n, i) })))
      expect(managed.filter((v) => v.stock).length).toBeGreaterThan(50)
      expect(managed.filter((v) => v.stock && !v.stock.stocked.webshop && !v.stock.allowBackorder).length).toBeGreaterThan(5)
      for (const n of numbers) {
        for (const v of products.get(n).variants) {
          expect(v.manage_inventory).toBe(demoStock(n, demoVariants(n).findIndex((x) => x.sku === v.sku)) !== null)
        }
      }
      const { data: locations } = await query.graph({
        entity: "stock_location",
        fields: ["name", "sales_channels.name"],
        filters: { name: Object.values(DEMO_LOCATIONS) },
      })
      expect(sorted(locations.map((l: any) => `${l.name}: ${l.sales_channels.map((c: any) => c.name)}`))).toEqual([
        `${DEMO_LOCATIONS.webshop}: ${DEMO_CHANNELS.webshop.name}`,
        `${DEMO_LOCATIONS.wholesale}: ${DEMO_CHANNELS.wholesale.name}`,
      ])
      for (const channel of ["webshop", "wholesale"] as const) {
        const listed = await storeProducts(tokens[channel], {
          fields: "handle,variants.sku,variants.manage_inventory,variants.allow_backorder,+variants.inventory_quantity",
        })
        for (const p of listed) {
          const n = numberByHandle.get(p.handle)!
          for (const v of p.variants) {
            const stock = demoStock(n, demoVariants(n).findIndex((x) => x.sku === v.sku))
            expect([v.manage_inventory, v.allow_backorder, v.manage_inventory ? v.inventory_quantity : null]).toEqual([
              stock !== null,
              stock?.allowBackorder ?? false,
              stock ? stock.stocked[channel] : null,
            ])
          }
        }
      }
    })

    it("holds one product in five, every brand and category in French and German: /store/products?locale= shows them", async () => {
      const { data: locales } = await api.get("/store/locales", { headers: { "x-publishable-api-key": tokens.webshop } })
      expect(locales.locales.map((l: any) => l.code)).toEqual(expect.arrayContaining(["fr-FR", "de-DE"]))
      const params = { fields: "handle,title,description,*options,*options.values,*variants,*categories" }
      const [fr, de, original] = await Promise.all([
        storeProducts(tokens.webshop, { ...params, locale: "fr-FR" }),
        storeProducts(tokens.webshop, { ...params, locale: "de-DE" }),
        storeProducts(tokens.webshop, params),
      ])
      const byHandle = (list: any[]) => new Map(list.map((p) => [p.handle, p]))
      const [frBy, deBy] = [byHandle(fr), byHandle(de)]
      let translated = 0
      for (const p of original) {
        const n = numberByHandle.get(p.handle)!
        const expected = demoTranslated(n) ? demoProductTranslation(demoProduct(n).title) : null
        expect(frBy.get(p.handle).title).toBe(expected ? expected["fr-FR"].title : p.title)
        expect(deBy.get(p.handle).description).toBe(expected ? expected["de-DE"].description : p.description)
        if (expected) {
          translated++
          expect(frBy.get(p.handle).options[0].title).toBe(DEMO_OPTION_TRANSLATIONS.title["fr-FR"])
          const oneSize = deBy.get(p.handle).variants.find((v: any) => p.variants.some((o: any) => o.id === v.id && o.title === "One size"))
          if (oneSize) expect(oneSize.title).toBe(DEMO_OPTION_TRANSLATIONS["One size"]["de-DE"])
        }
        for (const c of frBy.get(p.handle).categories) {
          expect(c.name).toBe(DEMO_CATEGORY_TRANSLATIONS[DEMO_CATEGORIES.find((d) => p.categories.some((o: any) => o.id === c.id && o.name === d.name))!.handle]["fr-FR"])
        }
      }
      expect(translated).toBeGreaterThan(10)
      expect(Object.keys(DEMO_BRAND_TRANSLATIONS).sort()).toEqual(DEMO_BRANDS_NAMES.sort())
      // Brands, through GraphQL (Medusa's store routes show no brand).
      const { data: graph } = await api.post(
        "/graphql",
        { query: `query @inContext(locale: "de-DE") { brand(handle: "ember-kitchen") { name description } }` },
        { headers: { "x-publishable-api-key": tokens.webshop } }
      )
      expect(graph.data.brand).toEqual({
        name: DEMO_BRAND_TRANSLATIONS["Ember Kitchen"].name!["de-DE"],
        description: DEMO_BRAND_TRANSLATIONS["Ember Kitchen"].description["de-DE"],
      })
    })

    it("changes nothing on a second run", async () => {
      const tables = [
        "region", "region_country", "store_currency", "sales_channel", "api_key", "publishable_api_key_sales_channel",
        "product", "product_variant", "product_option", "price", "price_list", "product_category",
        "product_category_product", "product_collection", "product_tag", "product_tags", "image",
        "product_sales_channel", "product_product_brand_brand",
        "stock_location", "sales_channel_stock_location", "inventory_item", "inventory_level",
        "store_locale", "translation",
      ]
      const snapshot = async () => {
        const counts: Record<string, number> = {}
        for (const t of tables) {
          counts[t] = Number((await dbConnection.raw(`select count(*)::int as n from ${t}`)).rows[0].n)
        }
        return { counts, files: readdirSync(resolve(process.cwd(), "static/demo")).length }
      }
      const before = await snapshot()
      expect(await seedDemoData(getContainer())).toEqual({ brandsCreated: 0, productsCreated: 0, adminCreated: false })
      expect(await snapshot()).toEqual(before)
    })
  },
})
