/**
 * Human-readable output of a scenario run: the round trace in the SPEC's notation and a
 * paper-style table. Pure: returns strings, prints nothing.
 */
import { baseUnitsToCurrency } from "../units";
import { roundSnapshots } from "./nashRounds";
import { whToKwh, type ScenarioRun } from "./scenarioRun";

/**
 *   round 1: E 0.50  F 0.64  G 0.74  H 0.40   price 0.50   E 10, H 3
 *   round 2: E 0.64  F 0.64  G 0.74  H 0.50   price 0.64   E 10, H 3
 *   round 3: no quote changes -> equilibrium
 * Only the competing side is listed (the short side keeps its quotes and trades in full).
 */
export function formatRoundTrace(run: ScenarioRun): string {
  const { scenario, nash } = run;
  const competing = nash.market === "seller" ? "buyer" : "seller";
  const shown = scenario.participants.flatMap((p, i) => (p.side === competing ? [i] : []));
  const price = (units: bigint): string => formatPrice(units, scenario.priceDecimals);
  const lines = [...roundSnapshots(nash.rounds)].map((snapshot) => {
    const quotes = shown.map((i) => `${scenario.participants[i].id} ${price(snapshot.quotes[i])}`).join("  ");
    const traded = shown
      .filter((i) => snapshot.allocationsWh[i] > 0n)
      .map((i) => `${scenario.participants[i].id} ${formatKwh(snapshot.allocationsWh[i])}`)
      .join(", ");
    return `round ${snapshot.round}: ${quotes}   price ${price(snapshot.price)}   ${traded || "nothing traded"}`;
  });
  const next = nash.rounds.length + 1;
  const ending = {
    converged: `round ${next}: no quote changes -> equilibrium`,
    cycle: `stopped: the quotes of round ${nash.rounds.length} repeat an earlier round (a cycle)`,
    roundLimit: `stopped after ${nash.rounds.length} rounds: quotes were still changing`,
  }[nash.status];
  const verdict = run.check.isNash
    ? "Nash check: no participant gains by a unilateral move"
    : `Nash check FAILED: ${run.check.deviations.map((d) => `${d.id} would quote ${price(d.betterQuote)}`).join(", ")}`;
  return [...lines, ending, verdict].join("\n");
}

/** One row per participant: what it offered or needed, what it quoted, where its energy went. */
export function formatResultTable(run: ScenarioRun): string {
  const { scenario, nash, storage } = run;
  const header = ["id", "side", "kWh", "min/max", "quote", "traded", "battery", "grid", "SoC before", "SoC after"];
  const rows = scenario.participants.map((p, i) => [
    p.id,
    p.side,
    formatKwh(p.energyWh),
    formatPrice(p.reservation, scenario.priceDecimals),
    formatPrice(nash.quotes[i], scenario.priceDecimals),
    formatKwh(storage[i].tradedWh),
    formatKwh(storage[i].batteryWh),
    formatKwh(storage[i].gridWh),
    formatPercent(p.soc),
    formatPercent(storage[i].socAfter),
  ]);
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((row) => row[col].length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, col) => cell.padEnd(widths[col]))
      .join("  ")
      .trimEnd();
  const title = `${MARKET_NAMES[nash.market]}, price ${formatPrice(
    nash.price,
    scenario.priceDecimals,
  )} per kWh; energy in kWh`;
  return [title, line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** The bilateral trades, one per line, in the order the merit-ordered stacks produced them. */
export function formatTrades(run: ScenarioRun): string {
  const decimals = run.scenario.priceDecimals;
  const lines = run.trades.map(
    (t) => `${t.sellerId} -> ${t.buyerId}  ${formatKwh(t.energyWh)} kWh at ${formatPrice(t.price, decimals)}`,
  );
  return ["trades:", ...lines.map((l) => `  ${l}`)].join("\n");
}

/** Description, trace, table and trades, separated by blank lines. */
export function formatScenarioRun(run: ScenarioRun): string {
  const parts = [formatRoundTrace(run), formatResultTable(run), formatTrades(run)];
  if (run.scenario.description) parts.unshift(run.scenario.description);
  return parts.join("\n\n");
}

const MARKET_NAMES = {
  buyer: "buyer's market",
  seller: "seller's market",
  balanced: "balanced market",
  empty: "empty market",
};

function formatPrice(units: bigint, decimals: number): string {
  return baseUnitsToCurrency(units).toFixed(decimals);
}

function formatKwh(wh: bigint): string {
  return String(whToKwh(wh));
}

function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 10_000) / 100}%`;
}
