// The leading underscore keeps this file out of Medusa's search loader, which
// imports every other file under src/search when the app boots.
import { batchedConsume } from "../batched-consume"

type Row = { id: string; title: string }

/** A catalog of rows by id, read as Query reads them, counting the reads. */
function catalog(rows: Row[]) {
  const reads: string[][] = []
  const query = {
    graph: async ({ filters }: { filters: { id: string[] } }) => {
      reads.push(filters.id)
      return { data: rows.filter((r) => filters.id.includes(r.id)) }
    },
  }
  return { reads, context: { container: { query }, index: {} } as any }
}

const event = (name: string, id: string) => ({ name, data: { id } }) as any

describe("batchedConsume", () => {
  const consumer = (windowMs = 5, chunkSize = 100) =>
    batchedConsume<Row>({
      entity: "product",
      fields: ["id", "title"],
      transform: (rows) => rows.filter((r) => r.title !== "hidden"),
      resolveIds: async (events) => events.map((e) => [e.data.id]),
      windowMs,
      chunkSize,
    })

  it("reads the events of one window together and writes each id once, with the first event that named it", async () => {
    const { reads, context } = catalog([
      { id: "p1", title: "Kettle" },
      { id: "p2", title: "Mug" },
    ])
    const consume = consumer()
    const results = await Promise.all([
      consume(event("product.created", "p1"), context),
      consume(event("product-variant.created", "p1"), context),
      consume(event("product.created", "p2"), context),
    ])
    expect(reads).toEqual([["p1", "p2"]])
    expect(results).toEqual([
      [{ action: "upsert", documents: [{ id: "p1", title: "Kettle" }] }],
      [],
      [{ action: "upsert", documents: [{ id: "p2", title: "Mug" }] }],
    ])
  })

  it("deletes what is gone or what the transform drops", async () => {
    const { context } = catalog([{ id: "p1", title: "hidden" }])
    const consume = consumer()
    const [gone, hidden] = await Promise.all([
      consume(event("product.deleted", "p9"), context),
      consume(event("product.updated", "p1"), context),
    ])
    expect(gone).toEqual([{ action: "delete", filters: { id: ["p9"] } }])
    expect(hidden).toEqual([{ action: "delete", filters: { id: ["p1"] } }])
  })

  it("opens a new batch for events after the window, and reads in chunks", async () => {
    const rows = ["a", "b", "c"].map((id) => ({ id, title: id }))
    const { reads, context } = catalog(rows)
    const consume = consumer(0, 2)
    const bulk = batchedConsume<Row>({
      entity: "product",
      fields: ["title"],
      transform: (r) => r,
      resolveIds: async (events) => events.map(() => ["a", "b", "c"]),
      windowMs: 0,
      chunkSize: 2,
    })
    const [written] = await Promise.all([bulk(event("brand.brand.updated", "brand_1"), context)])
    expect(reads).toEqual([["a", "b"], ["c"]])
    expect(written.map((m: any) => m.documents.map((d: Row) => d.id))).toEqual([["a", "b"], ["c"]])
    await consume(event("product.updated", "a"), context)
    await consume(event("product.updated", "b"), context)
    expect(reads.slice(2)).toEqual([["a"], ["b"]])
  })

  it("fails every event of a batch whose read fails, so each is delivered again", async () => {
    const context = { container: { query: { graph: async () => Promise.reject(new Error("down")) } } } as any
    const consume = consumer()
    const results = await Promise.allSettled([
      consume(event("product.created", "p1"), context),
      consume(event("product.created", "p2"), context),
    ])
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"])
  })
})
