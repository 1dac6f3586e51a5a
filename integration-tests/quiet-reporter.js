// Jest's own reporter, printing what a spec file wrote to the console (its
// servers' logs among it) only when one of its tests failed. A passing run then
// shows which files passed and the summary.
const { DefaultReporter, VerboseReporter } = require("@jest/reporters")

const quiet = (Base) =>
  class extends Base {
    onTestResult(test, result, aggregated) {
      const passed = !result.numFailingTests && !result.testExecError
      super.onTestResult(test, passed ? { ...result, console: undefined } : result, aggregated)
    }
  }

const QuietDefault = quiet(DefaultReporter)
const QuietVerbose = quiet(VerboseReporter)

module.exports = class QuietReporter {
  constructor(globalConfig, options, context) {
    // --verbose (or a run of one file) lists each test, as jest's "default" does.
    const Reporter = globalConfig.verbose ? QuietVerbose : QuietDefault
    return new Reporter(globalConfig, options, context)
  }
}
