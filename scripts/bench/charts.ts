/**
 * Scaling charts of a benchmark run: clearing gas against the number of orders (with the
 * per-transaction cap), and branch-and-bound time against the number of jobs. SVG, no browser.
 */
import fs from "node:fs";
import path from "node:path";
import { lineChart, type Series } from "../../src/core/charts/lineChart";
import type { AuctionRun, MaxBookCheck } from "./auctionGas";
import type { GapMetric } from "./gapSpeed";

const FAMILIES = ["cattrysse1994", "chu1997", "yagiura2004"];

export function gasScalingChart(
  runs: readonly AuctionRun[],
  fit: { readonly slope: number; readonly intercept: number },
  check: MaxBookCheck | null,
  txGasCap: number,
): string {
  const measured: [number, number][] = runs.map((r) => [r.size, r.closeGas.at(-1)!]);
  if (check) measured.push([check.maxOrders, check.gasAtMax]);
  const largest = Math.max(...measured.map(([x]) => x), Math.ceil((txGasCap - fit.intercept) / fit.slope));
  const series: Series[] = [
    { label: "closeRound that ends the auction (measured)", points: measured },
    {
      label: `fit: ${Math.round(fit.intercept)} + ${Math.round(fit.slope)} x orders`,
      points: [
        [0, fit.intercept],
        [largest, fit.intercept + fit.slope * largest],
      ],
    },
    {
      label: "per-transaction cap (EIP-7825)",
      points: [
        [0, txGasCap],
        [largest, txGasCap],
      ],
    },
  ];
  return lineChart(series, { title: "Clearing gas against book size", xLabel: "orders", yLabel: "gas", yMin: 0 });
}

/** Jobs per instance, read from each instance file's header ("m n"). */
function jobsOf(benchmarkDir: string, instance: string): number | null {
  for (const family of FAMILIES) {
    const file = path.join(benchmarkDir, family, instance);
    if (fs.existsSync(file)) return Number(fs.readFileSync(file, "utf8").trim().split(/\s+/)[1]);
  }
  return null;
}

export function solverScalingChart(metrics: readonly GapMetric[], benchmarkDir: string): string {
  const bySolver = new Map<string, [number, number][]>();
  for (const m of metrics) {
    const match = /^(bnb|highs)\.(.+)\.ms$/.exec(m.name);
    const jobs = match ? jobsOf(benchmarkDir, match[2]) : null;
    if (!match || jobs === null) continue;
    const family = match[2].startsWith("gap") ? "gap1-12" : "a-e";
    const label = `${match[1] === "bnb" ? "B&B" : "HiGHS"} ${family}`;
    bySolver.set(label, [...(bySolver.get(label) ?? []), [jobs, m.value]]);
  }
  const series: Series[] = [...bySolver].map(([label, points]) => ({
    label,
    points: points.sort((a, b) => a[0] - b[0]),
  }));
  return lineChart(series, {
    title: "GAP solve time against instance size",
    xLabel: "jobs",
    yLabel: "ms",
    yMin: 0,
    markersOnly: true,
  });
}
