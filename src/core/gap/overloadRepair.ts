import type { GapProblem } from "./problem";

/**
 * Turns a complete but overloaded assignment into a feasible one, when it can.
 *
 * On tight instances (capacities near 80% of demand, values falling as resources grow) the
 * relaxed solution leaves jobs that fit nowhere by themselves; placing them anyway and then
 * moving or swapping jobs to shrink the total overload recovers far more assignments than a
 * greedy that gives up at the first job without room. Moves are ranked by overload removed,
 * then by profit, so the repair stays close to the relaxed solution's cheap choices. Swaps,
 * which cost a scan of all jobs, are only tried when no shift helps, and `maxEvaluations`
 * caps the candidate moves looked at over the whole call.
 * Returns true when the assignment (modified in place) ends feasible.
 */
export function repairOverload(problem: GapProblem, assignment: Int32Array, maxEvaluations: number): boolean {
  const { agents, jobs, profit, weight, capacity, allowed } = problem;
  const remaining = Int32Array.from(capacity);
  for (let j = 0; j < jobs; j++) remaining[assignment[j]] -= weight[assignment[j] * jobs + j];
  const overloadOf = (room: number): number => (room < 0 ? -room : 0);
  let overload = 0;
  for (let i = 0; i < agents; i++) overload += overloadOf(remaining[i]);

  let evaluations = 0;
  while (overload > 0 && evaluations < maxEvaluations) {
    let bestDelta = 0;
    let bestGain = -Infinity;
    let bestJob = -1;
    let bestAgent = -1;
    let bestPartner = -1;
    const consider = (delta: number, gain: number, job: number, agent: number, partner: number): void => {
      if (delta < bestDelta || (delta === bestDelta && delta < 0 && gain > bestGain)) {
        bestDelta = delta;
        bestGain = gain;
        bestJob = job;
        bestAgent = agent;
        bestPartner = partner;
      }
    };
    // Shift a job out of an overloaded agent.
    for (let j = 0; j < jobs; j++) {
      const a = assignment[j];
      if (remaining[a] >= 0) continue;
      const freedA = overloadOf(remaining[a] + weight[a * jobs + j]) - overloadOf(remaining[a]);
      for (let b = 0; b < agents; b++) {
        if (b === a || allowed[b * jobs + j] === 0) continue;
        const wb = weight[b * jobs + j];
        const delta = freedA + overloadOf(remaining[b] - wb) - overloadOf(remaining[b]);
        consider(delta, profit[b * jobs + j] - profit[a * jobs + j], j, b, -1);
      }
      evaluations += agents;
    }
    // Swap a job of an overloaded agent with a job of another agent.
    for (let j = 0; j < jobs && bestJob < 0; j++) {
      const a = assignment[j];
      if (remaining[a] >= 0) continue;
      const wa = weight[a * jobs + j];
      for (let k = 0; k < jobs; k++) {
        const b = assignment[k];
        if (b === a || allowed[b * jobs + j] === 0 || allowed[a * jobs + k] === 0) continue;
        const roomA = remaining[a] + wa - weight[a * jobs + k];
        const roomB = remaining[b] + weight[b * jobs + k] - weight[b * jobs + j];
        const delta = overloadOf(roomA) - overloadOf(remaining[a]) + overloadOf(roomB) - overloadOf(remaining[b]);
        if (delta >= 0) continue;
        const gain = profit[b * jobs + j] + profit[a * jobs + k] - profit[a * jobs + j] - profit[b * jobs + k];
        consider(delta, gain, j, b, k);
      }
      evaluations += jobs;
    }
    if (bestJob < 0) return false;
    const from = assignment[bestJob];
    remaining[from] += weight[from * jobs + bestJob];
    remaining[bestAgent] -= weight[bestAgent * jobs + bestJob];
    assignment[bestJob] = bestAgent;
    if (bestPartner >= 0) {
      remaining[bestAgent] += weight[bestAgent * jobs + bestPartner];
      remaining[from] -= weight[from * jobs + bestPartner];
      assignment[bestPartner] = from;
    }
    overload += bestDelta;
  }
  return overload === 0;
}
