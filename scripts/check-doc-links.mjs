// Checks the relative links of README.md and docs/**/*.md: every target file
// or folder exists, and every #anchor names a heading of its Markdown file
// (GitHub's slugs). Links to other sites are not followed.
//
//   node scripts/check-doc-links.mjs [files...]
//
// Prints each broken link as file:line and exits 1 when there is one.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"

const root = resolve(import.meta.dirname, "..")

function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return markdownFiles(path)
    return entry.name.endsWith(".md") ? [path] : []
  })
}

/** Text outside fenced code blocks, line by line (links in code are examples). */
function proseLines(text) {
  let fenced = false
  return text.split("\n").map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced
      return ""
    }
    return fenced ? "" : line
  })
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/<[^>]*>/g, "")
    .replace(/[^\p{Letter}\p{Number}\- _]/gu, "")
    .replace(/ /g, "-")
}

const anchorsByFile = new Map()
function anchorsOf(file) {
  if (!anchorsByFile.has(file)) {
    const seen = new Map()
    const anchors = new Set()
    for (const line of proseLines(readFileSync(file, "utf8"))) {
      const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
      if (!heading) continue
      const base = slug(heading[1])
      const count = seen.get(base) ?? 0
      seen.set(base, count + 1)
      anchors.add(count ? `${base}-${count}` : base)
    }
    anchorsByFile.set(file, anchors)
  }
  return anchorsByFile.get(file)
}

// [text](target) and [text](target "title"); images too.
const LINK = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g

const files = process.argv.length > 2
  ? process.argv.slice(2).map((f) => resolve(f))
  : [join(root, "README.md"), ...(existsSync(join(root, "docs")) ? markdownFiles(join(root, "docs")) : [])]

let broken = 0
for (const file of files) {
  proseLines(readFileSync(file, "utf8")).forEach((line, index) => {
    // Inline code is not a link.
    for (const [, target] of line.replace(/`[^`]*`/g, "").matchAll(LINK)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // http:, https:, mailto:
      const [pathPart, anchor] = target.split("#")
      const path = pathPart ? resolve(dirname(file), decodeURIComponent(pathPart)) : file
      let problem = null
      if (!existsSync(path)) problem = "no such file"
      else if (anchor && statSync(path).isFile() && path.endsWith(".md") && !anchorsOf(path).has(anchor)) {
        problem = `no heading #${anchor}`
      }
      if (problem) {
        broken++
        console.log(`${relative(root, file)}:${index + 1}: ${target} (${problem})`)
      }
    }
  })
}
console.log(broken ? `${broken} broken link(s) in ${files.length} file(s).` : `All links of ${files.length} file(s) resolve.`)
process.exitCode = broken ? 1 : 0
