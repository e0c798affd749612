import { repairOverload } from "./overloadRepair";
import type { GapProblem } from "./problem";

const UNASSIGNED = -1;

/**
 * The four desirability measures of Martello and Toth's regret heuristic, as scores to
 * maximise: profit, profit per unit of resource, minus the resource, minus the share of the
 * agent's capacity used. Each one wins on a different family of instances, which is why all
 * of them are tried.
 */
export function desirabilityMeasures(problem: GapProblem): Float64Array[] {
  const { agents, jobs, profit, weight, weightScale, capacity } = problem;
  const measures = [0, 1, 2, 3].map(() => new Float64Array(agents * jobs));
  for (let i = 0; i < agents; i++) {
    const scale = weightScale[i];
    // Resources and capacity back in the caller's units, so agents compare on one scale.
    const capacityUnits = Math.max(1, capacity[i] * scale);
    for (let j = 0; j < jobs; j++) {
      const pair = i * jobs + j;
      const resource = weight[pair] * scale;
      measures[0][pair] = profit[pair];
      measures[1][pair] = profit[pair] / Math.max(resource, 1);
      measures[2][pair] = -resource;
      measures[3][pair] = -resource / capacityUnits;
    }
  }
  return measures;
}

/**
 * Regret greedy: repeatedly commits the job whose best agent beats its second-best agent by the
 * widest margin (a job with one agent left has infinite regret), so the jobs that would lose the
 * most by waiting go first. Starts from `partial` (UNASSIGNED = open) and returns a complete
 * assignment, or null when some job runs out of agents with room. With `overload`, such a job
 * goes (last) to the usable agent it overloads least instead, for repairOverload to fix.
 */
export function regretGreedy(
  problem: GapProblem,
  score: Float64Array,
  partial: Int32Array,
  overload = false,
): Int32Array | null {
  const allowed = problem.allowed;
  const { agents, jobs, weight, capacity } = problem;
  const assignment = Int32Array.from(partial);
  const remaining = Int32Array.from(capacity);
  for (let j = 0; j < jobs; j++) {
    const i = assignment[j];
    if (i !== UNASSIGNED) remaining[i] -= weight[i * jobs + j];
  }
  for (let i = 0; i < agents; i++) if (remaining[i] < 0 && !overload) return null;

  const bestAgent = new Int32Array(jobs);
  const secondAgent = new Int32Array(jobs);
  const regret = new Float64Array(jobs);
  const open: number[] = [];
  const rank = (j: number): void => {
    let first = -1;
    let second = -1;
    for (let i = 0; i < agents; i++) {
      const pair = i * jobs + j;
      if (allowed[pair] === 0 || weight[pair] > remaining[i]) continue;
      if (first < 0 || score[pair] > score[first * jobs + j]) {
        second = first;
        first = i;
      } else if (second < 0 || score[pair] > score[second * jobs + j]) {
        second = i;
      }
    }
    if (first < 0 && overload) {
      for (let i = 0; i < agents; i++) {
        const pair = i * jobs + j;
        if (allowed[pair] === 0) continue;
        if (first < 0 || remaining[i] - weight[pair] > remaining[first] - weight[first * jobs + j]) first = i;
      }
      bestAgent[j] = first;
      secondAgent[j] = -1;
      regret[j] = -Infinity;
      return;
    }
    bestAgent[j] = first;
    secondAgent[j] = second;
    regret[j] = first < 0 ? Infinity : second < 0 ? Infinity : score[first * jobs + j] - score[second * jobs + j];
  };
  for (let j = 0; j < jobs; j++) {
    if (assignment[j] !== UNASSIGNED) continue;
    open.push(j);
    rank(j);
  }

  while (open.length > 0) {
    let pick = 0;
    for (let k = 0; k < open.length; k++) {
      const j = open[k];
      if (bestAgent[j] < 0) return null;
      if (regret[j] > regret[open[pick]]) pick = k;
    }
    const job = open[pick];
    open[pick] = open[open.length - 1];
    open.pop();
    const agent = bestAgent[job];
    assignment[job] = agent;
    remaining[agent] -= weight[agent * jobs + job];
    // Only rankings that used this agent can change, and only if the job stopped fitting there.
    for (const j of open) {
      if (regret[j] === -Infinity) rank(j);
      else if ((bestAgent[j] === agent || secondAgent[j] === agent) && weight[agent * jobs + j] > remaining[agent])
        rank(j);
    }
  }
  return assignment;
}

/**
 * Candidate moves the overload repair may evaluate per call, per job and agent: enough for the
 * tight benchmark instances, and linear in the instance size so large ones stay affordable.
 */
const REPAIR_EVALUATIONS_PER_PAIR = 40;

/**
 * Completes `partial` with the regret greedy; when the greedy runs out of room, places the
 * leftover jobs where they overload least and repairs the overload. Null when both fail.
 */
export function completeAssignment(problem: GapProblem, score: Float64Array, partial: Int32Array): Int32Array | null {
  const greedy = regretGreedy(problem, score, partial);
  if (greedy !== null) return greedy;
  const overloaded = regretGreedy(problem, score, partial, true);
  if (overloaded === null) return null;
  const budget = REPAIR_EVALUATIONS_PER_PAIR * problem.jobs * problem.agents;
  return repairOverload(problem, overloaded, budget) ? overloaded : null;
}

/**
 * Lagrangian repair: keeps the relaxed solution's choice for each job taken once, the most
 * profitable of its agents for a job taken several times (dropping jobs never breaks a
 * capacity), and completes the jobs no knapsack took.
 */
export function repairRelaxedSolution(
  problem: GapProblem,
  fixedAgent: Int32Array,
  chosen: Uint8Array,
  score: Float64Array,
): Int32Array | null {
  const { agents, jobs, profit } = problem;
  const partial = Int32Array.from(fixedAgent);
  for (let j = 0; j < jobs; j++) {
    if (partial[j] !== UNASSIGNED) continue;
    let best = UNASSIGNED;
    for (let i = 0; i < agents; i++) {
      const pair = i * jobs + j;
      if (chosen[pair] === 1 && (best === UNASSIGNED || profit[pair] > profit[best * jobs + j])) best = i;
    }
    partial[j] = best;
  }
  return completeAssignment(problem, score, partial);
}

/**
 * First incumbent: the regret greedy under every desirability measure, each polished by local
 * search; the best result wins. Returns null when no measure yields a feasible assignment.
 */
export function constructInitialAssignment(
  problem: GapProblem,
  measures: readonly Float64Array[],
  polish: (assignment: Int32Array) => number,
): { assignment: Int32Array; value: number } | null {
  let best: { assignment: Int32Array; value: number } | null = null;
  const empty = new Int32Array(problem.jobs).fill(UNASSIGNED);
  for (const score of measures) {
    const assignment = completeAssignment(problem, score, empty);
    if (assignment === null) continue;
    const value = polish(assignment);
    if (best === null || value > best.value) best = { assignment, value };
  }
  return best;
}
