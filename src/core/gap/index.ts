/**
 * Generalized assignment problem (GAP): exact Lagrangian branch-and-bound and its helpers.
 *
 *   const result = solveGap(
 *     { agents, jobs, value, resource, capacity, objective: "max", forbidden: [[agent, job]] },
 *     { timeLimitMs: 2_000, gridFallback: true },
 *   );
 *   if (result.status === "optimal" || result.status === "feasible" || result.status === "timeLimit") {
 *     result.assignment; // agent per job (null only if nothing feasible was found in time)
 *     result.bound;      // proven bound: result.objective is within |bound - objective| of the optimum
 *   }
 *
 * How it works (files in reading order): problem.ts normalises the instance (maximise, flat
 * arrays); heuristics.ts + overloadRepair.ts + localSearch.ts build the first incumbent;
 * lagrangian.ts + knapsack.ts bound every node with one exact knapsack per agent, optimised by
 * subgradient.ts; branchAndBound.ts fixes variables by Lagrangian reduced costs, branches
 * depth first and probes targets below the root bound; searchState.ts undoes a node's changes.
 */
export type { GapInstance, GapObjective, GapOptions, GapResult, GapStatus } from "./types";
export { solveGap, DEFAULT_GAP_OPTIONS } from "./solve";
export { solveGapBruteForce } from "./bruteForce";
export { parseGapInstance } from "./parse";
export { withGridFallback, gridAgentIndex } from "./gridFallback";
export { checkAssignment, type AssignmentCheck } from "./evaluate";
export { toLpFormat } from "./lpFormat";
