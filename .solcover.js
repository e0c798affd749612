// solidity-coverage settings for `npm run coverage` and the coverage gate (scripts/coverageGate.ts).
module.exports = {
  // Mocks, harnesses and adversarial tokens exist only to drive the product's contracts; measuring
  // them would let their own gaps (or their coverage) hide the product's.
  skipFiles: ["test/"],
  // json-summary feeds the gate's totals; json keeps the per-line and per-branch hits it lists.
  istanbulReporter: ["html", "lcov", "text-summary", "json", "json-summary"],
};
