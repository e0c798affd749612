/**
 * The benchmark: gas of the contracts on the in-process Hardhat network, and speed of the off-chain
 * engines. Writes bench/results.json and prints a table against the literature's references, the
 * goals and (if bench/baseline.json exists) the saved baseline. A benchmark, not a test: it fails
 * only when something cannot run or an engine returns a wrong answer, never on a slow clock.
 *
 *   npm run bench [-- --highs] [-- --save-baseline] [-- --no-max-check]
 *
 *   --highs          also time HiGHS on every GAP instance (slow), as highs.<instance>.ms
 *   --save-baseline  copy the results to bench/baseline.json
 *   --no-max-check   give clearing.maxOrdersPerTx from the linear fit only (skips building a book
 *                    of that size; saves about a minute)
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import hre from "hardhat";
import type { Wallet } from "ethers";
import { BenchChain } from "./bench/chain";
import { deployMarket, enrol, type Market } from "./bench/market";
import {
  AUCTION_DEPOSIT,
  TX_GAS_CAP,
  checkMaxBook,
  runAuction,
  type AuctionRun,
  type MaxBookCheck,
} from "./bench/auctionGas";
import { BATCH, runEscrow } from "./bench/escrowGas";
import { configureFees, runMatching, type MatchingRun } from "./bench/matchingGas";
import { timeNash } from "./bench/nashSpeed";
import { GAP_TIME_LIMIT_SECONDS, runGapBench } from "./bench/gapSpeed";
import { formatTable, readResults, writeResults, type Metric, type Unit } from "./bench/report";
import { gasScalingChart, solverScalingChart } from "./bench/charts";
import { largestUnder, linearFit, max, mean } from "./bench/stats";

const ROOT = path.resolve(__dirname, "..");
const RESULTS = path.join(ROOT, "bench", "results.json");
const BASELINE = path.join(ROOT, "bench", "baseline.json");
const GAP_OUT = path.join(ROOT, "bench", "gap.json");

const AUCTION_SIZES = [10, 100, 1000] as const;
const AUCTION_SEED = 20_240_601;
const NASH_SEED = 7;
const MATCHING_SIZES = [
  { requests: 10, offers: 5 },
  { requests: 100, offers: 10 },
] as const;
/** finalize steps per call: about 40 trades of ~0.2M gas stay well under the per-transaction cap. */
const FINALIZE_STEPS = 40;

/** References from the literature and goals, by metric name. */
const REFERENCES: Record<string, { reference?: number; goal?: number }> = {
  "order.place.gas": { reference: 125_000, goal: 80_000 }, // Gnosis EasyAuction, one order with a hint
  "order.batch.gasPerOrder": { reference: 52_000, goal: 40_000 },
  "clearing.gasPerOrder": { reference: 2_830, goal: 1_500 }, // EasyAuction settlement per order
  "clearing.maxOrdersPerTx": { reference: 5_900, goal: 10_000 },
  "settlement.batch.gasPerTrade": { reference: 76_000, goal: 60_000 }, // CoW Protocol, 10-trade settlement
};

interface Flags {
  readonly highs: boolean;
  readonly saveBaseline: boolean;
  readonly maxCheck: boolean;
}

function parseFlags(argv: readonly string[]): Flags {
  const known = new Set(["--highs", "--save-baseline", "--no-max-check"]);
  for (const arg of argv)
    if (!known.has(arg)) throw new Error(`unknown argument ${arg} (known: ${[...known].join(" ")})`);
  return {
    highs: argv.includes("--highs"),
    saveBaseline: argv.includes("--save-baseline"),
    maxCheck: !argv.includes("--no-max-check"),
  };
}

class Metrics {
  readonly list: Metric[] = [];

  add(name: string, value: number | null, unit: Unit, note?: string): void {
    const known = REFERENCES[name] ?? {};
    const goal = known.goal ?? (/^bnb\.gap/.test(name) ? 1_000 : null);
    const rounded = value === null ? null : unit === "ms" ? Number(value.toFixed(2)) : Math.round(value);
    this.list.push({ name, value: rounded, unit, reference: known.reference ?? null, goal, ...(note ? { note } : {}) });
  }
}

function phase(label: string, started: number): void {
  console.log(`  ${label} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const started = performance.now();
  const metrics = new Metrics();
  const notes: string[] = [];
  let failed = false;

  if (hre.network.name !== "hardhat") throw new Error("the benchmark runs on the in-process network only");
  await hre.run("compile", { quiet: true });
  const hardfork = String((hre.network.config as { hardfork?: string }).hardfork);
  console.log(`GreenGrid benchmark on the in-process Hardhat network (hardfork ${hardfork})`);

  // ------------------------------------------------------------------ speed (before the chain fills memory)
  const nash = [timeNash(10_000, NASH_SEED), timeNash(100_000, NASH_SEED)];
  for (const t of nash) {
    metrics.add(
      `nash.${t.size / 1000}k.ms`,
      t.medianMs,
      "ms",
      `median of ${t.runsMs.length} runs after one untimed run; randomMarket(${t.size}, ${t.seed}); ${t.status} in ${t.rounds} rounds`,
    );
  }
  phase("Nash engine timed", started);
  const gap = runGapBench(ROOT, GAP_OUT, flags.highs);
  for (const m of gap.metrics) metrics.add(m.name, m.value, m.unit as Unit);
  // bench-gap's own reference for bnb.* is HiGHS on the same instance (with --highs)
  for (const m of metrics.list) {
    const fromGap = gap.metrics.find((g) => g.name === m.name);
    if (fromGap && fromGap.reference !== null) Object.assign(m, { reference: fromGap.reference });
  }
  const wrong = gap.runs.filter((r) => !r.correct).map((r) => r.instance);
  if (wrong.length > 0 || gap.exitCode !== 0) {
    failed = true;
    notes.push(`GAP: wrong results on ${wrong.join(", ") || "(see bench/gap.json)"}; exit code ${gap.exitCode}`);
  }
  const timeLimited = gap.runs.filter((r) => r.status !== "optimal").map((r) => `${r.instance} (${r.status})`);
  const highsLimited = gap.runs.filter((r) => r.highsStatus !== null && r.highsStatus !== "Optimal");
  notes.push(
    `GAP: ${gap.runs.length} instances of scripts/bench-gap.ts's default list, ${GAP_TIME_LIMIT_SECONDS} s limit each; ` +
      (timeLimited.length
        ? `branch-and-bound did not prove optimality on ${timeLimited.join(", ")}`
        : "branch-and-bound proved every one optimal") +
      (!flags.highs
        ? "; HiGHS not run (use --highs)"
        : `; HiGHS is the reference of bnb.*` +
          (highsLimited.length
            ? ` (not optimal within the limit, so its time is the limit: ${highsLimited
                .map((r) => `${r.instance} ${r.highsStatus}`)
                .join(", ")})`
            : "")),
  );
  phase(`GAP branch-and-bound timed (${gap.runs.length} instances)`, started);

  // ------------------------------------------------------------------ gas
  const chain = new BenchChain(hre);
  await chain.init();
  const market = await deployMarket(hre);
  phase("market deployed through deploy/deployGreenGrid", started);

  const runs: AuctionRun[] = [];
  const auctionWallets: Wallet[] = [];
  for (const size of AUCTION_SIZES) {
    const wallets = await enrol(chain, market, `auction ${size}`, size, { depositEach: AUCTION_DEPOSIT });
    auctionWallets.push(...wallets);
    runs.push(await runAuction(chain, market, wallets, size, AUCTION_SEED + size, FINALIZE_STEPS));
    phase(`auction of ${size} orders: placed, ${runs.at(-1)!.closeGas.length} rounds closed, finalized`, started);
  }
  const auctionGas = summariseAuction(metrics, runs);

  let check: MaxBookCheck | null = null;
  if (flags.maxCheck) {
    // Reuse the auction's participants (one order per period each) and enrol the rest.
    const cap = Number(await market.auction.MAX_ORDER_CAP());
    const need = Math.min(Math.ceil(auctionGas.extrapolatedMax * 1.05), cap) + 10;
    const extra = Math.max(0, need - auctionWallets.length);
    const more = await enrol(chain, market, "auction max", extra, { depositEach: AUCTION_DEPOSIT });
    const start = Math.floor(Math.min(auctionGas.extrapolatedMax, cap) * 0.85);
    const largest = runs.at(-1)!;
    const known = { orders: largest.size, gas: largest.closeGas.at(-1)! };
    check = await checkMaxBook(chain, market, [...auctionWallets, ...more], start, known, AUCTION_SEED, cap);
    phase(`largest book checked on chain: ${check.maxOrders} orders (${check.tried.length} sizes tried)`, started);
  }
  summariseMaxBook(metrics, auctionGas, check);

  const escrow = await runEscrow(chain, market);
  summariseEscrow(metrics, escrow);
  phase("escrow trade life cycle measured", started);

  await configureFees(chain, market);
  const matchingRuns: MatchingRun[] = [];
  for (const [k, size] of MATCHING_SIZES.entries()) {
    matchingRuns.push(await runMatching(chain, market, size.requests, size.offers, AUCTION_SEED + k));
    phase(`matching cycle of ${size.requests} requests / ${size.offers} offers`, started);
  }
  summariseMatching(metrics, matchingRuns);

  notes.push(
    "gas = gasUsed of each whole transaction (the 21,000 base and calldata included)",
    `per-transaction cap: ${TX_GAS_CAP} gas (EIP-7825, enforced by hardfork ${hardfork})`,
  );

  // ------------------------------------------------------------------ report
  const results = { hardfork, metrics: sortMetrics(metrics.list), notes };
  writeResults(RESULTS, results);
  fs.writeFileSync(
    path.join(ROOT, "bench", "scaling-gas.svg"),
    gasScalingChart(runs, auctionGas, check, Number(TX_GAS_CAP)),
  );
  fs.writeFileSync(
    path.join(ROOT, "bench", "scaling-solver.svg"),
    solverScalingChart(gap.metrics, path.join(ROOT, "..", "shared", "benchmarks", "gap")),
  );
  const baseline = readResults(BASELINE);
  console.log("\n" + formatTable(results.metrics, baseline));
  for (const m of results.metrics) if (m.note) console.log(`  ${m.name}: ${m.note}`);
  for (const note of notes) console.log(`  note: ${note}`);
  console.log(
    `\nwrote ${path.relative(ROOT, RESULTS)}${baseline ? `; compared with ${path.relative(ROOT, BASELINE)}` : ""}`,
  );
  if (flags.saveBaseline) {
    fs.copyFileSync(RESULTS, BASELINE);
    console.log(`saved ${path.relative(ROOT, BASELINE)}`);
  }
  console.log(`run time ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (failed) process.exitCode = 1;
}

interface AuctionGas {
  readonly slope: number;
  readonly intercept: number;
  readonly extrapolatedMax: number;
}

function summariseAuction(metrics: Metrics, runs: readonly AuctionRun[]): AuctionGas {
  const place = runs.flatMap((r) => r.placeGas);
  const revise = runs.flatMap((r) => r.reviseGas);
  metrics.add(
    "order.place.gas",
    mean(place),
    "gas",
    `mean of ${place.length} placements (books of ${runs
      .map((r) => r.size)
      .join(", ")}); eligibility check, margin and prepayment locks in the escrow included`,
  );
  metrics.add("order.place.gas.max", max(place), "gas");
  metrics.add(
    "order.batch.gasPerOrder",
    null,
    "gas",
    "not implemented: DoubleAuction has no batch placement (one placeOrder per participant and transaction)",
  );
  metrics.add(
    "order.revise.gas",
    mean(revise),
    "gas",
    `mean of ${revise.length} revisions (the Nash engine's round-2 replies)`,
  );
  metrics.add("order.revise.gas.max", max(revise), "gas");
  for (const r of runs) {
    metrics.add(
      `clearing.gas.${r.size}`,
      r.closeGas.at(-1)!,
      "gas",
      `closeRound that ends the auction (merit order verified and committed) after ${r.closeGas.length - 1} ` +
        `earlier rounds; book seed ${r.seed}, price ${r.price}`,
    );
    metrics.add(`clearing.round1.gas.${r.size}`, r.closeGas[0], "gas");
  }
  const fit = linearFit(runs.map((r) => [r.size, r.closeGas.at(-1)!]));
  const extrapolatedMax = largestUnder(fit, TX_GAS_CAP);
  metrics.add(
    "clearing.gasPerOrder",
    fit.slope,
    "gas",
    `least-squares slope of clearing.gas over ${runs.map((r) => r.size).join("/")} orders; intercept ${Math.round(
      fit.intercept,
    )} gas; largest residual ${(fit.maxRelativeResidual * 100).toFixed(1)}%`,
  );
  const last = runs.at(-1)!;
  const f = last.finalize;
  metrics.add(
    "finalize.gasPerTrade",
    f.gas.reduce((a, b) => a + b, 0) / f.trades,
    "gas",
    `book of ${last.size}: ${f.gas.length} finalize calls of ${FINALIZE_STEPS} steps, ${f.trades} escrow trades and ${f.releases} released orders, all gas / trades`,
  );
  if (f.tradeOnlyTrades > 0) {
    metrics.add(
      "finalize.gasPerTrade.tradeOnlyCalls",
      f.tradeOnlyGas / f.tradeOnlyTrades,
      "gas",
      `calls that only created trades (${f.tradeOnlyTrades} trades)`,
    );
  }
  for (const r of runs.slice(0, -1)) {
    metrics.add(`finalize.gasPerTrade.${r.size}`, r.finalize.gas.reduce((a, b) => a + b, 0) / r.finalize.trades, "gas");
  }
  return { slope: fit.slope, intercept: fit.intercept, extrapolatedMax };
}

function summariseMaxBook(metrics: Metrics, gas: AuctionGas, check: MaxBookCheck | null): void {
  if (check === null) {
    metrics.add(
      "clearing.maxOrdersPerTx",
      gas.extrapolatedMax,
      "orders",
      "only extrapolated from the linear fit of clearing.gas (run without --no-max-check to clear a book of that size)",
    );
  } else if (check.cappedAt !== null) {
    metrics.add(
      "clearing.maxOrdersPerTx",
      gas.extrapolatedMax,
      "orders",
      `extrapolated from the linear fit; the contract caps a period at ${check.cappedAt} orders (MAX_ORDER_CAP) so ` +
        `that every round fits one transaction: a full book of ${check.maxOrders} orders closed round 1 in ` +
        `${check.round1GasAtMax} gas and ended in ${check.gasAtMax} gas (checked on chain, cap ${TX_GAS_CAP})`,
    );
  } else {
    const failed = check.tried.filter((t) => !t.fits).map((t) => t.orders);
    const tried = check.tried.map((t) => `${t.orders}${t.fits ? "" : " (out of gas)"}`).join(", ");
    const verdict =
      `checked on chain: an auction of ${check.maxOrders} orders closed round 1 in ${check.round1GasAtMax} gas ` +
      `and ended in ${check.gasAtMax} gas; ${Math.min(...failed)} orders ran out of the ${TX_GAS_CAP} cap`;
    metrics.add(
      "clearing.maxOrdersPerTx",
      check.maxOrders,
      "orders",
      `${verdict}; linear extrapolation said ${gas.extrapolatedMax}; sizes tried: ${tried}`,
    );
  }
  metrics.add(
    "clearing.maxOrdersPerTx.extrapolated",
    gas.extrapolatedMax,
    "orders",
    `(${TX_GAS_CAP} - ${Math.round(gas.intercept)}) / ${gas.slope.toFixed(1)} from the linear fit`,
  );
}

function summariseEscrow(metrics: Metrics, e: Awaited<ReturnType<typeof runEscrow>>): void {
  const readingsBatch = e.readingBatchGas.reduce((a, b) => a + b, 0);
  metrics.add("escrow.lock.gas", mean(e.lockGas), "gas", `mean of ${e.lockGas.length} locks by a market`);
  metrics.add("escrow.createTrade.gas", mean(e.createTradeGas), "gas", `mean of ${e.createTradeGas.length} trades`);
  metrics.add(
    "escrow.submitReading.gas",
    mean(e.submitReadingGas),
    "gas",
    `mean of one trade's provider and user readings, each alone (${e.submitReadingGas.join(", ")})`,
  );
  metrics.add(
    "escrow.submitReadings.gasPerReading",
    readingsBatch / (e.readingBatchGas.length * BATCH),
    "gas",
    `${e.readingBatchGas.length} submitReadings batches of ${BATCH}`,
  );
  metrics.add(
    "escrow.settle.gas",
    e.settleGas,
    "gas",
    "honest trade: payment, refund, reward, certificates, reputation report",
  );
  metrics.add(
    "escrow.settleBatch.gasPerTrade",
    e.settleBatchGas / e.batchTrades,
    "gas",
    `settleBatch of ${e.batchTrades} honest trades`,
  );
  metrics.add(
    "settlement.batch.gasPerTrade",
    (readingsBatch + e.settleBatchGas) / e.batchTrades,
    "gas",
    `(${e.readingBatchGas.length} submitReadings batches of ${BATCH} + settleBatch of ${e.batchTrades}) / ${e.batchTrades} trades`,
  );
}

function summariseMatching(metrics: Metrics, runs: readonly MatchingRun[]): void {
  for (const r of runs) {
    const n = r.requests;
    metrics.add(`matching.postOffer.gas.${n}`, mean(r.postOfferGas), "gas", `mean of ${r.offers} offers`);
    metrics.add(`matching.postRequest.gas.${n}`, mean(r.postRequestGas), "gas", `mean of ${n} requests`);
    metrics.add(
      `matching.submitAssignment.gas.${n}`,
      r.submitAssignmentGas,
      "gas",
      `${n} requests on ${r.offers} offers, ${r.assigned} assigned (branch-and-bound: ${r.solverStatus})`,
    );
    metrics.add(
      `matching.finalize.gasPerTrade.${n}`,
      r.finalizeGas.reduce((a, b) => a + b, 0) / r.trades,
      "gas",
      `${r.finalizeGas.length} finalize calls, ${r.trades} escrow trades; releases included`,
    );
  }
}

/** Gas first (by contract), then speed; bnb/highs instances in the order bench-gap ran them. */
function sortMetrics(list: readonly Metric[]): Metric[] {
  const group = (m: Metric) => {
    const order = [
      "order.",
      "clearing.",
      "finalize.",
      "escrow.",
      "settlement.",
      "matching.",
      "nash.",
      "bnb.",
      "highs.",
    ];
    const k = order.findIndex((prefix) => m.name.startsWith(prefix));
    return k === -1 ? order.length : k;
  };
  return list
    .map((m, k) => ({ m, k }))
    .sort((a, b) => group(a.m) - group(b.m) || a.k - b.k)
    .map(({ m }) => m);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
