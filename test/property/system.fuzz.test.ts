import hre from "hardhat";
import fc from "fast-check";
import { sequence } from "./system/actions";
import { drain } from "./system/drain";
import { Checks, checkProbe, fullQuery, seen } from "./system/invariants";
import { initialModel, type Model } from "./system/model";
import { profile, type Ctx, type Stats } from "./system/runner";
import { buildWorld, probe, type World } from "./system/world";

/**
 * Stateful fuzz of the whole market on the in-process network: every sequence mixes every actor and action
 * (registration and review, deposits and withdrawals, auction orders, revisions, rounds with right and wrong
 * merit orders, finalize, matching offers and requests, solver and corrupted assignments, meter readings
 * valid, replayed, forged and late, settlement, time travel, certificates, rewards) on the contracts as
 * deployed, checks every invariant after every action (test/property/system/invariants.ts), and ends by
 * releasing and withdrawing everything (drain.ts).
 * Fixed seed; FUZZ_SEED, FUZZ_RUNS and FUZZ_PATH (fast-check's replay path) override it (npm run fuzz).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20_251_208);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
const PATH = process.env.FUZZ_PATH || undefined;
const SHRINK = process.env.FUZZ_SHRINK !== "0";
const MIN_ACTIONS = 20;
const MAX_ACTIONS = 50;

describe("fuzz: the whole market under random action sequences", function () {
  this.timeout(0);
  let world: World;
  let base: Model;
  let snapshot: string;

  before(async () => {
    world = await buildWorld();
    base = initialModel(world);
    const checks = new Checks();
    checks.label = "the fixed world";
    const q = fullQuery(world, base);
    checkProbe(world, base, q, await probe(world, q), false, checks);
    snapshot = (await hre.network.provider.request({ method: "evm_snapshot", params: [] })) as string;
  });

  /** A fresh model of the fixed world: the base state with its balances as read once. */
  function freshModel(): Model {
    const m = initialModel(world);
    for (const [a, b] of base.balances) m.balances.set(a, { ...b });
    m.totals = { ...base.totals };
    m.now = base.now;
    return m;
  }

  it(`${RUNS} sequences of ${MIN_ACTIONS}-${MAX_ACTIONS} actions keep every invariant (seed ${SEED})`, async () => {
    const stats: Stats = new Map();
    const checks = new Checks();
    let sequences = 0;
    let actions = 0;
    const started = Date.now();
    console.log(`      fuzz seed ${SEED}, ${RUNS} sequences${PATH ? `, path ${PATH}` : ""}`);
    try {
      await fc.assert(
        fc.asyncProperty(sequence(MIN_ACTIONS, MAX_ACTIONS), async (steps) => {
          await hre.network.provider.request({ method: "evm_revert", params: [snapshot] });
          snapshot = (await hre.network.provider.request({ method: "evm_snapshot", params: [] })) as string;
          // every sequence starts at the same chain time, however long the run has taken so far
          world.clock.last = base.now;
          const ctx: Ctx = { w: world, m: freshModel(), checks, stats };
          sequences += 1;
          actions += steps.length;
          await fc.asyncModelRun(() => ({ model: ctx.m, real: ctx }), steps);
          await drain(ctx);
        }),
        { seed: SEED, numRuns: RUNS, path: PATH, endOnFailure: !SHRINK },
      );
    } catch (error) {
      console.error(`\n      fuzz FAILED with seed ${SEED}: replay with npm run fuzz -- --seed ${SEED} --runs ${RUNS}` +
        " (and --path from the fast-check report below)");
      throw error;
    } finally {
      await hre.network.provider.request({ method: "evm_revert", params: [snapshot] });
      snapshot = (await hre.network.provider.request({ method: "evm_snapshot", params: [] })) as string;
      printFigures(stats, sequences, actions, checks.evaluations, Date.now() - started);
      if (process.env.FUZZ_PROFILE) console.log(profile);
    }
  });
});

function printFigures(stats: Stats, sequences: number, actions: number, evaluations: number, ms: number): void {
  let txs = 0;
  const rows = [...stats.entries()].sort(([a], [b]) => a.localeCompare(b));
  for (const [, s] of rows) txs += s.ok + s.reverted;
  console.log(`      fuzz seed ${SEED}: ${sequences} sequences, ${actions} actions (${txs} transactions and time steps ` +
    `with the end-of-sequence drain), ${evaluations} invariant evaluations, ${(ms / 1000).toFixed(1)} s`);
  console.log("      actions per kind (ok / reverted):");
  for (const [kind, s] of rows) console.log(`        ${kind.padEnd(30)} ${String(s.ok).padStart(7)} / ${s.reverted}`);
  console.log("      rarer paths reached:");
  for (const [what, n] of [...seen.entries()].sort()) console.log(`        ${what.padEnd(62)} ${n}`);
}
