const { loadEnv } = require("@medusajs/framework/utils")
loadEnv("test", process.cwd())

const swc = [
  "@swc/jest",
  {
    jsc: {
      parser: { syntax: "typescript", decorators: true },
      target: "es2021",
    },
  },
]

// TEST_TYPE picks one group; without it every group runs (npm test).
const groups = {
  // No database, no network: pure functions and in-process objects.
  unit: ["**/src/**/__tests__/**/*.unit.spec.[jt]s"],
  // SQL against a small database of the spec's own on the test server, without Medusa.
  "integration:db": ["**/src/**/__tests__/**/*.db.spec.[jt]s"],
  "integration:modules": ["**/src/modules/*/__tests__/**/*.module.spec.[jt]s"],
  "integration:http": ["**/integration-tests/http/**/*.spec.[jt]s"],
}
const testMatch = groups[process.env.TEST_TYPE] ?? Object.values(groups).flat()

module.exports = {
  transform: { "^.+\\.[jt]s$": swc },
  testEnvironment: "node",
  moduleFileExtensions: ["js", "ts", "json"],
  modulePathIgnorePatterns: ["dist/", "<rootDir>/.medusa/"],
  setupFiles: ["./integration-tests/setup.js"],
  // Each spec's database is a copy of one migrated template (integration-tests/helpers/template-database.ts):
  // built here once, and cloned by the runner that "@medusajs/test-utils" is mapped to.
  globalSetup: "./integration-tests/global-setup.ts",
  moduleNameMapper: { "^@medusajs/test-utils$": "<rootDir>/integration-tests/helpers/medusa-test-runner.ts" },
  testMatch,
  testTimeout: 120000,
  // What a spec printed is shown when it failed (integration-tests/quiet-reporter.js).
  reporters: ["<rootDir>/integration-tests/quiet-reporter.js", "summary"],
}
