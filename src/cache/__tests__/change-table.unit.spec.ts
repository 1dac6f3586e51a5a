import { InventoryEvents, ProductWorkflowEvents, TranslationWorkflowEvents } from "@medusajs/framework/utils"
import {
  adminWriteTags,
  BrandEvents,
  EVENT_RULES,
  mutationTags,
  STOCK_EVENTS,
  stockChanged,
  TRANSLATION_EVENTS,
  translationsChanged,
} from "../change-table"

describe("the change table", () => {
  it("names what Medusa's events touch, by their ids", () => {
    expect(EVENT_RULES[ProductWorkflowEvents.UPDATED](["prod_1"])).toEqual(["prod_1", "products"])
    expect(EVENT_RULES[BrandEvents.BRAND_UPDATED](["brand_1"])).toEqual(["brand_1", "brands"])
    expect(EVENT_RULES["pricing.price.updated"](["price_1"])).toEqual(["prices"])
    // Events of other modules change nothing a catalog read shows.
    expect(EVENT_RULES["order.placed"]).toBeUndefined()
  })

  it("names what the app's mutations touch, and everything for one it does not know", () => {
    expect(mutationTags("productSetBrand", { productId: "prod_1", brandId: "brand_2" })).toEqual(["prod_1", "brand_2", "products"])
    expect(mutationTags("brandUpdate", { id: "brand_1" })).toEqual(["brand_1", "brands"])
    expect(mutationTags("somethingNew", {})).toEqual(["all"])
  })

  it("names what an admin REST write touches from its path", () => {
    const id = "prod_01JABCDEFGHJKMNPQRSTVWXYZ0"
    expect(adminWriteTags(`/admin/products/${id}?fields=id`)).toEqual([id, "products"])
    expect(adminWriteTags("/admin/api-keys/apk_01JABCDEFGHJKMNPQRSTVWXYZ0/revoke")).toEqual(["apk_01JABCDEFGHJKMNPQRSTVWXYZ0", "access"])
    expect(adminWriteTags("/admin/orders/order_1")).toEqual([])
    expect(adminWriteTags("/admin/something-new")).toEqual(["all"])
  })

  it("names stock: inventory events by the variants they reach, stock routes and links by the stock tag", () => {
    expect(STOCK_EVENTS).toEqual(
      expect.arrayContaining([
        InventoryEvents.INVENTORY_LEVEL_UPDATED,
        InventoryEvents.RESERVATION_ITEM_CREATED,
        InventoryEvents.RESERVATION_ITEM_DELETED,
        InventoryEvents.INVENTORY_ITEM_DELETED,
      ])
    )
    expect(stockChanged(["variant_1"])).toEqual(["variant_1"])
    expect(EVENT_RULES["LinkSalesChannelStockLocation.attached"]([])).toEqual(["stock"])
    expect(EVENT_RULES["LinkProductVariantInventoryItem.detached"]([])).toEqual(["stock"])
    const item = "iitem_01JABCDEFGHJKMNPQRSTVWXYZ0"
    const location = "sloc_01JABCDEFGHJKMNPQRSTVWXYZ0"
    expect(adminWriteTags(`/admin/inventory-items/${item}/location-levels/${location}`)).toEqual([item, location, "stock"])
    expect(adminWriteTags(`/admin/stock-locations/${location}/sales-channels`)).toEqual([location, "stock"])
    expect(adminWriteTags("/admin/reservations")).toEqual(["stock"])
  })

  it("names translations: the Translation Module's events by the records they translate, its admin routes everything", () => {
    expect(TRANSLATION_EVENTS.sort()).toEqual(
      [TranslationWorkflowEvents.CREATED, TranslationWorkflowEvents.UPDATED, TranslationWorkflowEvents.DELETED].sort()
    )
    // No list: a translation moves no record in or out of one.
    expect(translationsChanged(["prod_1", "brand_1"])).toEqual(["prod_1", "brand_1"])
    expect(adminWriteTags("/admin/translations/batch")).toEqual(["all"])
    expect(adminWriteTags("/admin/translations/settings/batch")).toEqual(["all"])
  })
})
