// The settings live in src/config/ (one schema, see settings.ts); this path stays for existing imports.
export * from "../config"
