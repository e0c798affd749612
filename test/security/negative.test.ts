import hre from "hardhat";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { NEGATIVE_SUITES } from "./negative";
import { MIN_CASES_PER_FUNCTION, type NegativeCase, type NegativeSuite } from "./negative/types";

async function runCase<Ctx>(suite: NegativeSuite<Ctx>, c: NegativeCase<Ctx>): Promise<void> {
  const ctx = await loadFixture(suite.fixture);
  const before = await suite.digest(ctx);
  const declaredBy = c.declaredBy ? c.declaredBy(ctx) : suite.target(ctx);
  const reverted = expect(c.send(ctx)).to.be.revertedWithCustomError(declaredBy, c.error);
  await (c.args ? reverted.withArgs(...c.args(ctx)) : reverted);
  expect(await suite.digest(ctx), "state changed although the call reverted").to.equal(before);
}

async function stateChangingFunctions(contract: string): Promise<string[]> {
  const { abi } = await hre.artifacts.readArtifact(contract);
  const names = abi
    .filter((f: { type: string; stateMutability?: string }) => f.type === "function" && !["view", "pure"].includes(f.stateMutability ?? ""))
    .map((f: { name: string }) => f.name);
  return [...new Set<string>(names)].sort();
}

describe("security: negative cases for every external function (named error, arguments, no state change)", () => {
  for (const suite of NEGATIVE_SUITES) {
    describe(suite.contract, () => {
      for (const c of suite.cases) {
        it(`${c.fn}: ${c.title} -> ${c.error}`, () => runCase(suite, c));
      }
    });
  }

  it(`every state-changing function has at least ${MIN_CASES_PER_FUNCTION} negative cases`, async () => {
    let functions = 0;
    let cases = 0;
    const short: string[] = [];
    for (const suite of NEGATIVE_SUITES) {
      const perFunction = new Map<string, number>();
      for (const c of suite.cases) perFunction.set(c.fn, (perFunction.get(c.fn) ?? 0) + 1);
      const declared = await stateChangingFunctions(suite.contract);
      for (const fn of perFunction.keys()) expect(declared, `${suite.contract} has no function ${fn}`).to.include(fn);
      for (const fn of declared) {
        const n = perFunction.get(fn) ?? 0;
        if (n < MIN_CASES_PER_FUNCTION) short.push(`${suite.contract}.${fn} (${n})`);
      }
      functions += declared.length;
      cases += suite.cases.length;
    }
    console.log(
      `      negative: ${cases} cases over ${functions} state-changing functions of ${NEGATIVE_SUITES.length} contracts, ` +
        "each a named custom error with its arguments and no state change",
    );
    expect(short, "functions with too few negative cases").to.deep.equal([]);
  });
});
