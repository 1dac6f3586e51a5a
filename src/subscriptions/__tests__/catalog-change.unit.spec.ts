import { EVENT_RULES, mutationTags, adminWriteTags, BrandEvents } from "../../cache/change-table"
import { ALL, TAGS } from "../../cache/tags"
import { catalogChangeOf, isBrandId, isProductId, mergeChanges } from "../catalog-change"
import { ChangeInbox } from "../change-inbox"
import { publishCatalogChange } from "../catalog-pubsub"
import { endAllStreams, openStreamCount } from "../open-streams"

describe("what subscribers hear of a change", () => {
  it("takes the records a change names, and says when prices, access or anything changed", () => {
    expect(catalogChangeOf(EVENT_RULES["product.updated"](["prod_1"]))).toEqual({ ids: ["prod_1"], prices: false, stock: false, access: false, all: false })
    expect(catalogChangeOf(EVENT_RULES[BrandEvents.BRAND_DELETED](["brand_1"]))).toEqual({
      ids: ["brand_1"],
      prices: false,
      stock: false,
      access: false,
      all: false,
    })
    expect(catalogChangeOf(mutationTags("productSetBrand", { productId: "prod_1", brandId: "brand_2" }))?.ids).toEqual(["prod_1", "brand_2"])
    expect(catalogChangeOf(adminWriteTags("/admin/api-keys/apk_01J0000000000000000000000A/revoke"))).toMatchObject({ access: true })
    expect(catalogChangeOf(adminWriteTags("/admin/price-lists"))).toMatchObject({ ids: [], prices: true })
    expect(catalogChangeOf([ALL])).toMatchObject({ ids: [], all: true })
    expect(catalogChangeOf(adminWriteTags("/admin/reservations"))).toMatchObject({ ids: [], stock: true })
  })

  it("says nothing of a change that names only lists: the events that follow name the records", () => {
    expect(catalogChangeOf(mutationTags("brandCreate", {}))).toBeNull()
    expect(catalogChangeOf([TAGS.products, TAGS.search])).toBeNull()
    expect(catalogChangeOf([])).toBeNull()
  })

  it("tells products and brands apart by their ids, and merges changes", () => {
    expect(["prod_1", "brand_1", "variant_1"].map((id) => [isProductId(id), isBrandId(id)])).toEqual([
      [true, false],
      [false, true],
      [false, false],
    ])
    expect(
      mergeChanges([
        { ids: ["prod_1"], prices: false, stock: false, access: true, all: false },
        { ids: ["prod_1", "brand_1"], prices: true, stock: false, access: false, all: false },
      ])
    ).toEqual({ ids: ["prod_1", "brand_1"], prices: true, stock: false, access: true, all: false })
  })
})

describe("a stream's inbox", () => {
  it("holds the changes published in this process until taken, and gives null once closed or shut down", async () => {
    const inbox = new ChangeInbox()
    publishCatalogChange(["prod_1", TAGS.products])
    publishCatalogChange([TAGS.search])
    publishCatalogChange(["brand_1", TAGS.brands])
    await new Promise((r) => setTimeout(r, 10))
    expect(await inbox.next()).toEqual([
      { ids: ["prod_1"], prices: false, stock: false, access: false, all: false },
      { ids: ["brand_1"], prices: false, stock: false, access: false, all: false },
    ])
    const waiting = inbox.next()
    inbox.close()
    expect(await waiting).toBeNull()

    const other = new ChangeInbox()
    expect(openStreamCount()).toBe(1)
    const pending = other.next()
    endAllStreams()
    expect(await pending).toBeNull()
    expect(openStreamCount()).toBe(0)
  })
})
