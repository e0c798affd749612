import hre from "hardhat";
import { expect } from "chai";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { NEGATIVE_SUITES } from "./negative";
import { MIN_CASES_PER_FUNCTION, type NegativeCase, type NegativeSuite } from "./negative/types";
import { UNDER_COVERAGE } from "../helpers/coverage";

/**
 * The digest of each suite's fixture state, taken on its first case: loadFixture restores that same state before
 * every case, so one digest per suite stands for every "before" and halves the calls a case costs.
 */
const fixtureDigests = new Map<NegativeSuite<unknown>, string>();

async function runCase<Ctx>(suite: NegativeSuite<Ctx>, c: NegativeCase<Ctx>): Promise<void> {
  const ctx = await loadFixture(suite.fixture);
  const key = suite as NegativeSuite<unknown>;
  if (!fixtureDigests.has(key)) fixtureDigests.set(key, await suite.digest(ctx));
  const declaredBy = c.declaredBy ? c.declaredBy(ctx) : suite.target(ctx);
  const reverted = expect(c.send(ctx)).to.be.revertedWithCustomError(declaredBy, c.error);
  await (c.args ? reverted.withArgs(...c.args(ctx)) : reverted);
  // The coverage run needs each refusal's path once; the digests, hundreds of instrumented view calls a case,
  // prove "nothing changed", which the plain test run checks for every case.
  if (UNDER_COVERAGE) return;
  const after = await suite.digest(ctx);
  if (after === fixtureDigests.get(key)) return;
  // A view that reads the clock (a cycle's phase) may have moved on since the suite's first case: compare with
  // the fixture state read now instead.
  const before = await suite.digest(await loadFixture(suite.fixture));
  expect(after, "state changed although the call reverted").to.equal(before);
}

type AbiFunction = { type: string; name: string; stateMutability?: string; inputs?: unknown[] };

/** The number of arguments of every error the suites' contracts declare (OpenZeppelin's among them). */
async function errorArity(): Promise<Map<string, number>> {
  const arity = new Map<string, number>();
  for (const suite of NEGATIVE_SUITES) {
    const { abi } = await hre.artifacts.readArtifact(suite.contract);
    for (const e of abi as AbiFunction[]) if (e.type === "error") arity.set(e.name, e.inputs?.length ?? 0);
  }
  return arity;
}

async function functionsOf(contract: string): Promise<{ all: string[]; stateChanging: string[] }> {
  const { abi } = await hre.artifacts.readArtifact(contract);
  const fns = (abi as AbiFunction[]).filter((f) => f.type === "function");
  const names = (list: AbiFunction[]) => [...new Set(list.map((f) => f.name))].sort();
  // a deployment that reverts is a case too: its name in the tables is "constructor"
  const constructors = (abi as AbiFunction[]).some((f) => f.type === "constructor") ? ["constructor"] : [];
  return {
    all: [...names(fns), ...constructors],
    stateChanging: names(fns.filter((f) => !["view", "pure"].includes(f.stateMutability ?? ""))),
  };
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
    let elsewhere = 0;
    const errors = new Set<string>();
    const short: string[] = [];
    const withoutArgs: string[] = [];
    const arity = await errorArity();
    for (const suite of NEGATIVE_SUITES) {
      const perFunction = new Map<string, number>();
      for (const c of suite.cases) perFunction.set(c.fn, (perFunction.get(c.fn) ?? 0) + 1);
      const { all, stateChanging } = await functionsOf(suite.contract);
      for (const fn of perFunction.keys()) expect(all, `${suite.contract} has no function ${fn}`).to.include(fn);
      for (const fn of stateChanging) {
        const n = perFunction.get(fn) ?? 0;
        if (n < MIN_CASES_PER_FUNCTION) short.push(`${suite.contract}.${fn} (${n})`);
      }
      for (const c of suite.cases) {
        if (!stateChanging.includes(c.fn)) elsewhere++;
        errors.add(c.error);
        if (!c.args && arity.get(c.error) !== 0) withoutArgs.push(`${suite.contract}.${c.fn}: ${c.title} (${c.error})`);
      }
      functions += stateChanging.length;
      cases += suite.cases.length;
    }
    console.log(
      `      negative: ${cases} cases (${elsewhere} of them on views and constructors) over ${functions} state-changing functions of ` +
        `${NEGATIVE_SUITES.length} contracts, ${errors.size} distinct errors, ` +
        "each a named custom error with its arguments and no state change",
    );
    expect(short, "functions with too few negative cases").to.deep.equal([]);
    expect(withoutArgs, "cases that leave out the arguments of an error that takes some").to.deep.equal([]);
  });
});
