import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createCollectionsWorkflow,
  createProductCategoriesWorkflow,
  createProductTagsWorkflow,
  createProductsWorkflow,
  createTranslationsWorkflow,
  updateStoresWorkflow,
  updateTranslationsWorkflow,
} from "@medusajs/medusa/core-flows"
import { createBrandsWorkflow } from "../../src/workflows/create-brands"
import { createAdmin } from "../helpers/admin"
import { countStatements, errorCode, gql, gqlData, type Headers } from "../helpers/graphql"
import { reindexSearch } from "../helpers/search"
import { createPublishableKey, PUBLISHABLE_KEY_HEADER } from "../helpers/storefront"

jest.setTimeout(240 * 1000)

// Languages: @inContext(locale:) serves the texts Medusa's Translation Module
// keeps, as GET /store/products?locale= does (the reference), with the
// original text where none exists; the brand's too, through the translatable
// Brand model. Answers in two locales never mix in the answer cache, and a
// translation written anywhere shows on the next read.

const PAGE = `query Page($handle: String!, $locale: String) @inContext(locale: $locale) {
  product(handle: $handle) {
    id title subtitle description
    variants { id title options { option value } }
    options { id title values }
    categories { id name }
    collection { id title }
    tags { id value }
    brand { id name description }
  }
}`

medusaIntegrationTestRunner({
  inApp: true,
  testSuite: ({ api, getContainer }) => {
    let admin: Headers
    let storefront: Headers
    const ids: Record<string, string> = {}
    const translationIds: Record<string, string> = {}

    const page = async (locale: string | null, handle = "kettle") =>
      (await gqlData(api, PAGE, { handle, locale }, storefront)).product
    /** GET /store/products for the same key, as a storefront would call it. */
    const storeProduct = async (locale: string | null, handle = "kettle") => {
      const params: Record<string, string> = {
        handle,
        fields: "id,title,subtitle,description,*variants,*variants.options,*variants.options.option,*options,*options.values,*categories,*collection,*tags",
      }
      if (locale) params.locale = locale
      const { data } = await api.get("/store/products", { params, headers: storefront })
      return data.products[0]
    }
    /** The store's answer in the GraphQL answer's shape (orders as GraphQL gives them). */
    const asPage = (p: any) => ({
      id: p.id,
      title: p.title,
      subtitle: p.subtitle,
      description: p.description,
      variants: [...p.variants]
        .sort((a: any, b: any) => a.variant_rank - b.variant_rank || (a.id < b.id ? -1 : 1))
        .map((v: any) => ({
          id: v.id,
          title: v.title,
          options: v.options.map((o: any) => ({ option: o.option.title, value: o.value })),
        })),
      options: p.options.map((o: any) => ({ id: o.id, title: o.title, values: o.values.map((v: any) => v.value) })),
      categories: p.categories.map((c: any) => ({ id: c.id, name: c.name })),
      collection: p.collection ? { id: p.collection.id, title: p.collection.title } : null,
      tags: p.tags.map((t: any) => ({ id: t.id, value: t.value })),
    })
    const withoutBrand = ({ brand: _brand, ...rest }: any) => rest
    const sortLists = (p: any) => ({
      ...p,
      options: [...p.options].sort((a: any, b: any) => (a.id < b.id ? -1 : 1)).map((o: any) => ({ ...o, values: [...o.values].sort() })),
      categories: [...p.categories].sort((a: any, b: any) => (a.id < b.id ? -1 : 1)),
      tags: [...p.tags].sort((a: any, b: any) => (a.id < b.id ? -1 : 1)),
      variants: p.variants.map((v: any) => ({ ...v, options: [...v.options].sort((a: any, b: any) => (a.option < b.option ? -1 : 1)) })),
    })
    const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean) => {
      const deadline = Date.now() + 10_000
      let value = await read()
      while (!done(value) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100))
        value = await read()
      }
      return value
    }
    /** Reads until the answer comes from the cache: events of earlier writes, handled late, may drop it once. */
    const cachedRead = async (query: string, variables: Record<string, unknown>) => {
      let res = await gql(api, query, variables, storefront)
      for (let tries = 0; res.headers["x-cache"] !== "HIT" && tries < 100; tries++) {
        await new Promise((r) => setTimeout(r, 100))
        res = await gql(api, query, variables, storefront)
      }
      expect(res.headers["x-cache"]).toBe("HIT")
      return res.data
    }

    beforeAll(async () => {
      const container = getContainer()
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      admin = (await createAdmin(container, api)).headers
      const [channel] = await container.resolve(Modules.SALES_CHANNEL).createSalesChannels([{ name: "Web" }])
      storefront = { [PUBLISHABLE_KEY_HEADER]: (await createPublishableKey(container, "Web", [channel.id])).token }

      // The Translation Module takes translations in the store's locales only.
      const { data: [store] } = await query.graph({ entity: "store", fields: ["id"] })
      await updateStoresWorkflow(container).run({
        input: { selector: { id: store.id }, update: { supported_locales: [{ locale_code: "fr-FR" }, { locale_code: "de-DE" }] } },
      })

      const { result: [kitchen] } = await createProductCategoriesWorkflow(container).run({
        input: { product_categories: [{ name: "Kitchen", handle: "kitchen", is_active: true }] },
      })
      const { result: [autumn] } = await createCollectionsWorkflow(container).run({
        input: { collections: [{ title: "Autumn Edit", handle: "autumn-edit" }] },
      })
      const { result: [gift] } = await createProductTagsWorkflow(container).run({ input: { product_tags: [{ value: "gift" }] } })
      const { result: brands } = await createBrandsWorkflow(container).run({
        input: { brands: [{ name: "Ember Kitchen", description: "Cast iron and copper cookware." }, { name: "Alder" }] },
      })
      ids.brand = brands[0].id
      const { result: created } = await createProductsWorkflow(container).run({
        input: {
          products: [
            {
              title: "Kettle",
              handle: "kettle",
              subtitle: "No. 1",
              description: "A copper kettle.",
              status: "published",
              options: [{ title: "Size", values: ["Small", "Large"] }],
              variants: [
                { title: "Small", variant_rank: 0, options: { Size: "Small" }, prices: [] },
                { title: "Large", variant_rank: 1, options: { Size: "Large" }, prices: [] },
              ],
              category_ids: [kitchen.id],
              collection_id: autumn.id,
              tag_ids: [gift.id],
              sales_channels: [{ id: channel.id }],
            },
            // No translation at all.
            {
              title: "Apron",
              handle: "apron",
              status: "published",
              options: [{ title: "Size", values: ["One size"] }],
              variants: [{ title: "One size", options: { Size: "One size" }, prices: [] }],
              sales_channels: [{ id: channel.id }],
            },
            // Pans sort after the kettle, and before it in German: pages follow the stored text.
            ...["Pan A", "Pan B", "Pan C"].map((title) => ({
              title,
              status: "published",
              options: [{ title: "Size", values: ["One"] }],
              variants: [{ title: "One", options: { Size: "One" }, prices: [] }],
              sales_channels: [{ id: channel.id }],
            })),
          ] as any,
          additional_data: { brand_id: ids.brand },
        },
      })
      const { data: [kettle] } = await query.graph({
        entity: "product",
        fields: ["id", "variants.id", "variants.title", "options.id", "options.values.id", "options.values.value"],
        filters: { id: created[0].id },
      })
      ids.kettle = kettle.id
      ids.apron = created[1].id
      ids.panA = created[2].id
      const variant = Object.fromEntries(kettle.variants.map((v: any) => [v.title, v.id]))
      const value = Object.fromEntries(kettle.options[0].values.map((v: any) => [v.value, v.id]))
      ids.option = kettle.options[0].id
      ids.small = variant.Small
      ids.smallValue = value.Small

      const { result } = await createTranslationsWorkflow(container).run({
        input: {
          translations: [
            // No subtitle in French: it falls back to the original.
            { reference: "product", reference_id: kettle.id, locale_code: "fr-FR", translations: { title: "Bouilloire", description: "Une bouilloire en cuivre." } },
            { reference: "product", reference_id: kettle.id, locale_code: "de-DE", translations: { title: "Wasserkocher" } },
            { reference: "product", reference_id: created[2].id, locale_code: "de-DE", translations: { title: "Bratpfanne A" } },
            { reference: "product_variant", reference_id: variant.Small, locale_code: "fr-FR", translations: { title: "Petite" } },
            // An empty translation is no translation.
            { reference: "product_variant", reference_id: variant.Large, locale_code: "fr-FR", translations: { title: "" } },
            { reference: "product_option", reference_id: kettle.options[0].id, locale_code: "fr-FR", translations: { title: "Taille" } },
            { reference: "product_option_value", reference_id: value.Small, locale_code: "fr-FR", translations: { value: "Petite" } },
            { reference: "product_option_value", reference_id: value.Large, locale_code: "fr-FR", translations: { value: "Grande" } },
            { reference: "product_category", reference_id: kitchen.id, locale_code: "fr-FR", translations: { name: "Cuisine" } },
            { reference: "product_collection", reference_id: autumn.id, locale_code: "fr-FR", translations: { title: "Sélection d'automne" } },
            { reference: "product_tag", reference_id: gift.id, locale_code: "fr-FR", translations: { value: "cadeau" } },
            { reference: "brand", reference_id: ids.brand, locale_code: "fr-FR", translations: { name: "Ember Cuisine", description: "Fonte et cuivre." } },
          ],
        },
      })
      for (const t of result as any[]) translationIds[`${t.reference_id} ${t.locale_code}`] = t.id
    })

    it("lists the shop's locales at Medusa's GET /store/locales", async () => {
      const { data } = await api.get("/store/locales", { headers: storefront })
      expect(data.locales).toEqual(
        expect.arrayContaining([
          { code: "fr-FR", name: "French (France)" },
          { code: "de-DE", name: "German (Germany)" },
        ])
      )
    })

    it("equals GET /store/products?locale= for the same key, in each locale and without one", async () => {
      for (const locale of ["fr-FR", "de-DE", "it-IT", null]) {
        const [graph, store] = await Promise.all([page(locale), storeProduct(locale)])
        expect(sortLists(withoutBrand(graph))).toEqual(sortLists(asPage(store)))
      }
      const fr = await page("fr-FR")
      expect(fr).toMatchObject({
        title: "Bouilloire",
        description: "Une bouilloire en cuivre.",
        variants: [
          { title: "Petite", options: [{ option: "Taille", value: "Petite" }] },
          { title: "Large", options: [{ option: "Taille", value: "Grande" }] },
        ],
        options: [{ title: "Taille", values: expect.arrayContaining(["Petite", "Grande"]) }],
        categories: [{ name: "Cuisine" }],
        collection: { title: "Sélection d'automne" },
        tags: [{ value: "cadeau" }],
      })
    })

    it("falls back to the original text where no translation exists: a field, a record, a locale", async () => {
      const fr = await page("fr-FR")
      // No French subtitle; an empty variant title.
      expect(fr.subtitle).toBe("No. 1")
      expect(fr.variants[1].title).toBe("Large")
      // German: the title only.
      expect(await page("de-DE")).toMatchObject({ title: "Wasserkocher", description: "A copper kettle.", categories: [{ name: "Kitchen" }] })
      // A product without translations, and a locale the shop has none in.
      expect(withoutBrand(await page("fr-FR", "apron"))).toEqual(withoutBrand(await page(null, "apron")))
      expect(await page("it-IT")).toEqual(await page(null))
    })

    it("picks a variant by the option titles and values the answer shows", async () => {
      const pick = `query ($locale: String, $selected: [SelectedOptionInput!]!) @inContext(locale: $locale) {
        product(handle: "kettle") { variantBySelectedOptions(selectedOptions: $selected) { id title } }
      }`
      const picked = async (locale: string | null, name: string, value: string) =>
        (await gqlData(api, pick, { locale, selected: [{ name, value }] }, storefront)).product.variantBySelectedOptions
      expect(await picked("fr-FR", "Taille", "Petite")).toEqual({ id: ids.small, title: "Petite" })
      expect(await picked(null, "Size", "Small")).toEqual({ id: ids.small, title: "Small" })
      expect(await picked("fr-FR", "Size", "Small")).toBeNull()
    })

    it("takes the tag in any case, as Medusa normalizes it", async () => {
      expect((await page("FR-fr")).title).toBe("Bouilloire")
      expect((await page("fr-fr")).title).toBe("Bouilloire")
    })

    it("refuses a tag that is not BCP 47 with BAD_USER_INPUT, as a literal or a variable", async () => {
      for (const locale of ["fr_FR", "", "français", "fr-FR; DROP TABLE", "x".repeat(40), "fr-\u0000"]) {
        const res = await gql(api, PAGE, { handle: "kettle", locale }, storefront)
        expect(res.status).toBe(200)
        expect(errorCode(res)).toBe("BAD_USER_INPUT")
        expect(res.errors![0].message).toMatch(/BCP 47/)
        expect(JSON.stringify(res.body)).not.toMatch(/select|stack|at Object/i)
      }
      const literal = await gql(api, `query @inContext(locale: "fr_FR") { product(handle: "kettle") { title } }`, {}, storefront)
      expect(errorCode(literal)).toBe("BAD_USER_INPUT")
    })

    it("translates the brand's name and description, wherever a brand shows", async () => {
      expect((await page("fr-FR")).brand).toEqual({ id: ids.brand, name: "Ember Cuisine", description: "Fonte et cuivre." })
      expect((await page("de-DE")).brand).toEqual({ id: ids.brand, name: "Ember Kitchen", description: "Cast iron and copper cookware." })
      const { brand, brands } = await gqlData(
        api,
        `query @inContext(locale: "fr-FR") {
          brand(id: "${ids.brand}") { name description products(first: 5) { nodes { title } } }
          brands(first: 5) { nodes { name } }
        }`,
        {},
        storefront
      )
      expect(brand).toMatchObject({ name: "Ember Cuisine", description: "Fonte et cuivre." })
      expect(brand.products.nodes).toContainEqual({ title: "Bouilloire" })
      // Ordered by the stored name: Alder, then Ember.
      expect(brands.nodes).toEqual([{ name: "Alder" }, { name: "Ember Cuisine" }])
    })

    it("pages in the stored order, and its cursors lead on, in any locale", async () => {
      const doc = `query ($after: String) @inContext(locale: "de-DE") {
        products(first: 2, after: $after) { nodes { title } pageInfo { endCursor hasNextPage } }
      }`
      const titles: string[] = []
      let after: string | null = null
      for (let i = 0; i < 5; i++) {
        const { products } = await gqlData(api, doc, { after }, storefront)
        titles.push(...products.nodes.map((n: any) => n.title))
        if (!products.pageInfo.hasNextPage) break
        after = products.pageInfo.endCursor
      }
      expect(titles).toEqual(["Apron", "Wasserkocher", "Bratpfanne A", "Pan B", "Pan C"])
    })

    it("shows search hits, facets and predictions in the locale, matched by the stored text", async () => {
      const search = `query @inContext(locale: "fr-FR") {
        searchProducts(query: "kettle", first: 5) { nodes { title } facets { categories { category { name } count } } }
        predictiveSearch(query: "Emb") { brands { name } }
        kitchen: predictiveSearch(query: "Kitch") { categories { name } }
      }`
      // The index as the database holds it (its events may still be under way).
      await reindexSearch(getContainer())
      const value = await gqlData(api, search, {}, { ...admin, "cache-control": "no-cache" })
      expect(value.searchProducts.nodes).toEqual([{ title: "Bouilloire" }])
      expect(value.searchProducts.facets.categories).toEqual([{ category: { name: "Cuisine" }, count: 1 }])
      expect(value.predictiveSearch.brands).toEqual([{ name: "Ember Cuisine" }])
      expect(value.kitchen.categories).toEqual([{ name: "Cuisine" }])
    })

    it("reads a page's translations in one look-up, however many records it holds", async () => {
      const doc = (locale: string) => `query @inContext(locale: "${locale}") { products(first: 10) { nodes { title variants { title } options { values } categories { name } } } }`
      const admin_ = { ...admin, "cache-control": "no-cache" }
      const { statements: plain } = await countStatements(() => gqlData(api, `{ products(first: 10) { nodes { title variants { title } options { values } categories { name } } } }`, {}, admin_))
      const { statements: french } = await countStatements(() => gqlData(api, doc("fr-FR"), {}, admin_))
      // The translations of every record on the page, and the Translation Module's list of translatable fields.
      expect(french.length - plain.length).toBe(2)
      const tables = french.map((s) => s.match(/\bfrom\s+"?(?:public"?\."?)?(translation\w*)/i)?.[1]).filter(Boolean)
      expect(tables.sort()).toEqual(["translation", "translation_settings"])
    })

    it("keeps answers in two locales apart, whether the locale is a literal or a variable", async () => {
      const byVariable = `query ByVariable($locale: String) @inContext(locale: $locale) { product(handle: "kettle") { title } }`
      const literal = (locale: string) => `query Literal @inContext(locale: "${locale}") { product(handle: "kettle") { title } }`
      for (let round = 0; round < 2; round++) {
        const fr = await gql(api, byVariable, { locale: "fr-FR" }, storefront)
        const de = await gql(api, byVariable, { locale: "de-DE" }, storefront)
        const none = await gql(api, byVariable, {}, storefront)
        const frLiteral = await gql(api, literal("fr-FR"), {}, storefront)
        const deLiteral = await gql(api, literal("de-DE"), {}, storefront)
        expect([fr, de, none, frLiteral, deLiteral].map((r) => r.data.product.title)).toEqual([
          "Bouilloire",
          "Wasserkocher",
          "Kettle",
          "Bouilloire",
          "Wasserkocher",
        ])
        // The second round comes from the cache, each answer under its own key.
        if (round === 1) expect([fr, de, none, frLiteral, deLiteral].map((r) => r.headers["x-cache"])).toEqual(Array(5).fill("HIT"))
        else await cachedRead(byVariable, { locale: "de-DE" })
      }
    })

    it("shows a translation changed in code on the next reads, and keeps the answers of other records", async () => {
      const doc = `query InCode($locale: String) @inContext(locale: $locale) { product(handle: "kettle") { title variants { title } options { values } } }`
      const apron = `query ApronInCode @inContext(locale: "fr-FR") { product(handle: "apron") { title } }`
      const read = async () => (await gqlData(api, doc, { locale: "fr-FR" }, storefront)).product
      expect((await cachedRead(doc, { locale: "fr-FR" })).product.title).toBe("Bouilloire")
      await cachedRead(apron, {})

      // A workflow run in code: its events purge the answers holding the translated records.
      await updateTranslationsWorkflow(getContainer()).run({
        input: { translations: [{ id: translationIds[`${ids.kettle} fr-FR`], translations: { title: "Bouilloire en cuivre" } }] },
      } as any)
      expect((await until(read, (p) => p.title !== "Bouilloire")).title).toBe("Bouilloire en cuivre")
      // An option value's translation reaches the answers showing the option's values.
      await updateTranslationsWorkflow(getContainer()).run({
        input: { translations: [{ id: translationIds[`${ids.smallValue} fr-FR`], translations: { value: "Mini" } }] },
      } as any)
      expect((await until(read, (p) => p.options[0].values.includes("Mini"))).options[0].values).toContain("Mini")
      // Another product's answer stays.
      expect((await gql(api, apron, {}, storefront)).headers["x-cache"]).toBe("HIT")
    })

    it("shows a translation written through the admin REST routes on the next read", async () => {
      const doc = `query Rest @inContext(locale: "de-DE") { product(handle: "kettle") { variants { title } brand { name } } }`
      await cachedRead(doc, {})
      const res = await api.post(
        "/admin/translations/batch",
        {
          create: [
            { reference: "product_variant", reference_id: ids.small, locale_code: "de-DE", translations: { title: "Klein" } },
            { reference: "brand", reference_id: ids.brand, locale_code: "de-DE", translations: { name: "Ember Küche" } },
          ],
        },
        { headers: admin }
      )
      expect(res.status).toBe(200)
      const { product } = await gqlData(api, doc, {}, storefront)
      expect(product).toEqual({ variants: [{ title: "Klein" }, { title: "Large" }], brand: { name: "Ember Küche" } })
    })
  },
})
