import path from "node:path"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { loadAppConfig } from "../lib/config"
import { dimensionsReader, type DimensionsReader } from "./dimensions"
import { imageSigner, type ImageSigner } from "./signing"
import { variantStore, type VariantStore } from "./variant-store"

/** The local File Module provider's folder, as it defaults (medusa-config.ts gives it no other). */
export const UPLOAD_DIR = path.join(process.cwd(), "static")

/** Where encoded variants are kept: the app's own data folder, beside nothing it serves. */
export const VARIANT_STORE_DIR = path.join(process.cwd(), ".data", "images")

export type ImageRuntime = {
  signer: ImageSigner
  /** FILE_BACKEND_URL: only images under it are the catalog's own files. */
  fileBackendUrl: string
  /** The public address of this server, where /images is: FILE_BACKEND_URL without its /static. */
  origin: string
  store: VariantStore
  dimensions: DimensionsReader
}

let current: { secret: string; runtime: ImageRuntime } | undefined

/** The process's image runtime, signing with a key derived from Medusa's cookie secret. */
export function imageRuntime(scope: MedusaContainer): ImageRuntime {
  const config = scope.resolve(ContainerRegistrationKeys.CONFIG_MODULE)
  // Medusa fills in a development default when COOKIE_SECRET is unset (and refuses that in production).
  const secret = String(config.projectConfig.http.cookieSecret)
  if (current?.secret !== secret) {
    const { fileBackendUrl } = loadAppConfig()
    current = {
      secret,
      runtime: {
        signer: imageSigner(secret),
        fileBackendUrl,
        origin: serverOrigin(fileBackendUrl),
        store: variantStore({ uploadDir: UPLOAD_DIR, storeDir: VARIANT_STORE_DIR }),
        dimensions: dimensionsReader(UPLOAD_DIR),
      },
    }
  }
  return current.runtime
}

/** `http://host:9000/static` -> `http://host:9000`; a URL without /static keeps its origin. */
export function serverOrigin(fileBackendUrl: string): string {
  const trimmed = fileBackendUrl.replace(/\/+$/, "")
  return /\/static$/.test(trimmed) ? trimmed.slice(0, -"/static".length) : new URL(trimmed).origin
}
