import type { GapProblem } from "./problem";

/** Pair checks one local search may spend on swap sweeps (a 100-job sweep costs 5 000). */
const SWAP_BUDGET = 4_000_000;

/**
 * First-improvement descent with shift moves (one job to another agent) and swap moves (two
 * jobs of different agents trade places), until neither improves or `maxPasses` sweeps ran.
 * Improves `assignment` (complete and feasible) in place and returns its internal value.
 * A swap sweep is quadratic in the jobs, hence the pass cap, lowered on large instances so that
 * one call stays within about SWAP_BUDGET pair checks.
 */
export function localSearch(problem: GapProblem, assignment: Int32Array, maxPasses = 50): number {
  const { agents, jobs, profit, weight, capacity, allowed } = problem;
  const remaining = Int32Array.from(capacity);
  let value = 0;
  for (let j = 0; j < jobs; j++) {
    const pair = assignment[j] * jobs + j;
    remaining[assignment[j]] -= weight[pair];
    value += profit[pair];
  }

  const passes = Math.min(maxPasses, Math.max(1, Math.floor(SWAP_BUDGET / (jobs * jobs + 1))));
  for (let pass = 0; pass < passes; pass++) {
    let improved = false;
    for (let j = 0; j < jobs; j++) {
      const from = assignment[j];
      const current = profit[from * jobs + j];
      let bestAgent = from;
      let bestGain = 0;
      for (let i = 0; i < agents; i++) {
        const pair = i * jobs + j;
        if (i === from || allowed[pair] === 0 || weight[pair] > remaining[i]) continue;
        const gain = profit[pair] - current;
        if (gain > bestGain) {
          bestGain = gain;
          bestAgent = i;
        }
      }
      if (bestAgent !== from) {
        remaining[from] += weight[from * jobs + j];
        remaining[bestAgent] -= weight[bestAgent * jobs + j];
        assignment[j] = bestAgent;
        value += bestGain;
        improved = true;
      }
    }
    for (let j = 0; j < jobs; j++) {
      for (let k = j + 1; k < jobs; k++) {
        const a = assignment[j];
        const b = assignment[k];
        if (a === b) continue;
        const jToB = b * jobs + j;
        const kToA = a * jobs + k;
        if (allowed[jToB] === 0 || allowed[kToA] === 0) continue;
        const jAtA = a * jobs + j;
        const kAtB = b * jobs + k;
        const gain = profit[jToB] + profit[kToA] - profit[jAtA] - profit[kAtB];
        if (gain <= 0) continue;
        const roomA = remaining[a] + weight[jAtA] - weight[kToA];
        const roomB = remaining[b] + weight[kAtB] - weight[jToB];
        if (roomA < 0 || roomB < 0) continue;
        remaining[a] = roomA;
        remaining[b] = roomB;
        assignment[j] = b;
        assignment[k] = a;
        value += gain;
        improved = true;
      }
    }
    if (!improved) break;
  }
  return value;
}
