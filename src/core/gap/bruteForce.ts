import { validateInstance } from "./problem";
import type { GapInstance, GapResult } from "./types";

/** Largest agents^jobs the enumeration accepts: it is a test oracle, not a solver. */
const MAX_LEAVES = 20_000_000;

/**
 * Exhaustive search for tiny instances, the oracle the branch-and-bound is tested against.
 * It shares only the instance validation with the solver, and prunes nothing but capacity
 * overflows, so an error in the bounds cannot hide in both.
 */
export function solveGapBruteForce(instance: GapInstance): GapResult {
  validateInstance(instance);
  const { agents, jobs } = instance;
  if (agents ** jobs > MAX_LEAVES) {
    throw new RangeError(`GAP brute force: ${agents}^${jobs} assignments is too many`);
  }
  const forbidden = new Set((instance.forbidden ?? []).map(([i, j]) => i * jobs + j));
  const load = new Array<number>(agents).fill(0);
  const current = new Array<number>(jobs).fill(-1);
  const better = (a: number, b: number): boolean => (instance.objective === "max" ? a > b : a < b);
  let best: number[] | null = null;
  let bestValue = 0;
  let visited = 0;

  const visit = (job: number, value: number): void => {
    visited++;
    if (job === jobs) {
      if (best === null || better(value, bestValue)) {
        best = current.slice();
        bestValue = value;
      }
      return;
    }
    for (let i = 0; i < agents; i++) {
      const resource = instance.resource[i][job];
      if (forbidden.has(i * jobs + job) || load[i] + resource > instance.capacity[i]) continue;
      load[i] += resource;
      current[job] = i;
      visit(job + 1, value + instance.value[i][job]);
      load[i] -= resource;
    }
  };
  visit(0, 0);

  if (best === null) {
    return {
      status: "infeasible",
      objective: null,
      bound: instance.objective === "max" ? -Infinity : Infinity,
      assignment: null,
      nodes: visited,
    };
  }
  return { status: "optimal", objective: bestValue, bound: bestValue, assignment: best, nodes: visited };
}
