/**
 * Speed of the Nash engine (src/core/auction solveNash) on deterministic random markets. The
 * market is built before the clock starts; one untimed run lets the JIT compile the hot loops.
 */
import { performance } from "node:perf_hooks";
import { randomMarket, solveNash } from "../../src/core/auction";
import { median } from "./stats";

export interface NashTiming {
  readonly size: number;
  readonly seed: number;
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly status: string;
  readonly rounds: number;
}

export function timeNash(size: number, seed: number, runs = 5): NashTiming {
  const market = randomMarket(size, seed);
  const warm = solveNash(market);
  const runsMs: number[] = [];
  for (let k = 0; k < runs; k++) {
    const start = performance.now();
    solveNash(market);
    runsMs.push(performance.now() - start);
  }
  return { size, seed, runsMs, medianMs: median(runsMs), status: warm.status, rounds: warm.rounds.length };
}
