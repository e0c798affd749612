import { BranchAndBound, type SearchOutcome } from "./branchAndBound";
import { performanceNow } from "./clock";
import { withGridFallback } from "./gridFallback";
import { toProblem } from "./problem";
import type { GapInstance, GapOptions, GapResult, GapStatus } from "./types";

export const DEFAULT_GAP_OPTIONS: GapOptions = {
  timeLimitMs: Infinity,
  nodeLimit: Infinity,
  now: performanceNow,
  gridFallback: false,
  gridValue: 0,
  initialAssignment: null,
  rootIterations: 3000,
  nodeIterations: 30,
};

/**
 * Solves a generalized assignment problem exactly by Lagrangian branch-and-bound.
 * Deterministic: the same instance and options give the same result, unless the clock stops it.
 */
export function solveGap(instance: GapInstance, options: Partial<GapOptions> = {}): GapResult {
  const settings: GapOptions = { ...DEFAULT_GAP_OPTIONS, ...options };
  const effective = settings.gridFallback ? withGridFallback(instance, settings.gridValue) : instance;
  const problem = toProblem(effective);
  const outcome = new BranchAndBound(problem, settings).run();
  return toResult(outcome, problem.sense);
}

function statusOf(outcome: SearchOutcome): GapStatus {
  const found = outcome.assignment !== null;
  if (outcome.stop === "complete") return found ? "optimal" : "infeasible";
  if (outcome.stop === "nodeLimit" && found) return "feasible";
  return "timeLimit";
}

function toResult(outcome: SearchOutcome, sense: 1 | -1): GapResult {
  const found = outcome.assignment !== null;
  return {
    status: statusOf(outcome),
    objective: found ? sense * outcome.value : null,
    bound: sense * outcome.bound,
    assignment: found ? Array.from(outcome.assignment as Int32Array) : null,
    nodes: outcome.nodes,
  };
}
