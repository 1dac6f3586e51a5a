import path from "node:path"

// Which images may be transformed: files the local File Module provider
// stored (their URL starts with FILE_BACKEND_URL), read from its folder on
// disk. Nothing is fetched over the network, so no URL can make the server
// reach elsewhere.

/**
 * The local provider's file key of a catalog image URL (`demo/1733-mug.svg`),
 * or null for a URL the provider did not make (another host, another path,
 * a private file, anything that climbs out of the folder).
 */
export function localFileKey(url: string, fileBackendUrl: string): string | null {
  const base = fileBackendUrl.endsWith("/") ? fileBackendUrl : `${fileBackendUrl}/`
  if (!url.startsWith(base)) return null
  const rest = url.slice(base.length)
  if (/[?#]/.test(rest)) return null
  let key: string
  try {
    key = decodeURIComponent(rest)
  } catch {
    return null
  }
  return isSafeKey(key) ? key : null
}

/** A relative path of plain segments, not a private file (the provider prefixes those with `private-`). */
export function isSafeKey(key: string): boolean {
  if (!key || key.length > 1024 || key.includes("\0") || key.includes("\\")) return false
  const segments = key.split("/")
  if (segments.some((s) => s === "" || s === "." || s === "..")) return false
  return !segments[segments.length - 1].startsWith("private-")
}

/** The file of a key under the provider's folder, or null when the key would leave it. */
export function sourcePath(uploadDir: string, key: string): string | null {
  if (!isSafeKey(key)) return null
  const base = path.resolve(uploadDir)
  const resolved = path.resolve(base, key)
  const relative = path.relative(base, resolved)
  return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? resolved : null
}
