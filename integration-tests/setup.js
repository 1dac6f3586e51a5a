// Each test file boots Medusa anew; MikroORM keeps entity metadata globally,
// so clear it to start from a clean slate.
const { MetadataStorage } = require("@medusajs/framework/mikro-orm/core")

MetadataStorage.clear()
