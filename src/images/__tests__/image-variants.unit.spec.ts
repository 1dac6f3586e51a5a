import { imageSigner } from "../signing"
import { localFileKey, sourcePath } from "../source"
import { transformFor, transformProblem } from "../transform"
import { parseVariant, variantUrl } from "../variant-url"
import { serverOrigin } from "../runtime"

const signer = imageSigner("a secret")
const BASE = "http://localhost:9000/static"

describe("image variants", () => {
  it("takes only files the local provider made", () => {
    expect(localFileKey(`${BASE}/demo/1-mug.svg`, BASE)).toBe("demo/1-mug.svg")
    expect(localFileKey(`${BASE}/demo/1%20mug.svg`, BASE)).toBe("demo/1 mug.svg")
    for (const url of [
      "https://elsewhere.example/static/demo/1-mug.svg",
      `${BASE}-other/x.png`,
      `${BASE}/../package.json`,
      `${BASE}/%2e%2e/package.json`,
      `${BASE}/private-1-x.png`,
      `${BASE}/a.png?x=1`,
      `${BASE}/%E0%A4%A`,
    ]) {
      expect({ url, key: localFileKey(url, BASE) }).toEqual({ url, key: null })
    }
    expect(sourcePath("/srv/static", "demo/a.png")).toBe("/srv/static/demo/a.png")
    expect(sourcePath("/srv/static", "../a.png")).toBeNull()
  })

  it("bounds sizes and formats", () => {
    expect(transformProblem({ maxWidth: 1, maxHeight: 2048, format: "webp" })).toBeNull()
    expect(transformProblem({ maxWidth: 0 })).toMatch(/maxWidth/)
    expect(transformProblem({ maxHeight: 2049 })).toMatch(/maxHeight/)
    expect(transformProblem({ maxWidth: 1.5 })).toMatch(/maxWidth/)
    expect(transformProblem({ format: "gif" as any })).toMatch(/format/)
    expect(transformFor({}, "a.png")).toBeNull()
    expect(transformFor({ maxWidth: 10 }, "a.JPEG")).toEqual({ maxWidth: 10, maxHeight: null, format: "jpg" })
    expect(transformFor({ maxWidth: 10 }, "a.svg")!.format).toBe("png")
  })

  it("serves only the URLs it signed", () => {
    const url = variantUrl("http://shop", signer, "demo/1-mug.svg", { maxWidth: 200, maxHeight: null, format: "webp" })
    const [, , signature, size, file] = new URL(url).pathname.split("/")
    expect(size).toBe("w200")
    expect(parseVariant({ signature, size, file }, signer)).toMatchObject({
      fileKey: "demo/1-mug.svg",
      transform: { maxWidth: 200, maxHeight: null, format: "webp" },
    })
    expect(parseVariant({ signature, size: "w201", file }, signer)).toBe("forged")
    expect(parseVariant({ signature, size: "h200", file }, signer)).toBe("forged")
    expect(parseVariant({ signature, size, file: file.replace(".webp", ".avif") }, signer)).toBe("forged")
    expect(parseVariant({ signature, size, file }, imageSigner("another secret"))).toBe("forged")
    expect(parseVariant({ signature, size: "w0200", file }, signer)).toBe("malformed")
    expect(parseVariant({ signature, size: "", file }, signer)).toBe("malformed")
    expect(parseVariant({ signature, size: "w3000", file }, signer)).toBe("malformed")
    expect(parseVariant({ signature: "x", size, file }, signer)).toBe("malformed")

    const full = variantUrl("http://shop", signer, "a.png", { maxWidth: null, maxHeight: null, format: "avif" })
    const parts = new URL(full).pathname.split("/")
    expect(parts[3]).toBe("full")
    expect(parseVariant({ signature: parts[2], size: parts[3], file: parts[4] }, signer)).not.toBe("malformed")
  })

  it("puts /images beside /static", () => {
    expect(serverOrigin("http://localhost:9000/static")).toBe("http://localhost:9000")
    expect(serverOrigin("https://shop.example/api/static/")).toBe("https://shop.example/api")
    expect(serverOrigin("https://cdn.example/files")).toBe("https://cdn.example")
  })
})
