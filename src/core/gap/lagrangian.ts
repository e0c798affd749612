import { KnapsackSolver } from "./knapsack";
import type { GapProblem } from "./problem";
import type { SearchState } from "./searchState";

/**
 * Lagrangian relaxation of the "each job exactly once" constraints at the current node.
 * With a multiplier u[j] per free job the problem splits into one 0-1 knapsack per agent over
 * the reduced profits profit[i][j] - u[j]:
 *
 *   L(u) = fixedValue + sum_j u[j] + sum_i max { sum_j (profit[i][j] - u[j]) x[i][j] : knapsack i }
 *
 * L(u) is an upper bound on every assignment of the node for any u, because a complete
 * assignment makes every relaxed term u[j] * (1 - sum_i x[i][j]) vanish. Solving the
 * knapsacks exactly (not as LPs) is what makes this bound stronger than the LP relaxation.
 */
export class LagrangianRelaxation {
  /** How many agents' knapsacks took each job at the last evaluate() (0 or >1 = violated). */
  readonly coverCount: Int32Array;
  /** x[i][j] of the last evaluate(), [agent * jobs + job]. */
  readonly chosen: Uint8Array;
  /** Knapsack optimum per agent at the last evaluate() or pairBounds(). */
  readonly agentValue: Float64Array;
  /** Free jobs of the current node, in increasing order (refreshed by refreshFreeJobs()). */
  readonly freeJobs: Int32Array;
  freeCount = 0;
  /**
   * False when some knapsack of the last evaluate() was too large for the exact programme and
   * only bounded: L(u) is then still an upper bound, but a complete relaxed solution is no
   * longer known to be optimal for the node.
   */
  exact = true;

  private readonly knapsack = new KnapsackSolver();
  private readonly itemProfit: Float64Array;
  private readonly itemWeight: Int32Array;
  private readonly itemJob: Int32Array;
  private readonly taken: Uint8Array;
  private readonly inValue: Float64Array;
  private readonly outValue: Float64Array;

  constructor(private readonly problem: GapProblem, private readonly state: SearchState) {
    const { agents, jobs } = problem;
    this.coverCount = new Int32Array(jobs);
    this.chosen = new Uint8Array(agents * jobs);
    this.agentValue = new Float64Array(agents);
    this.freeJobs = new Int32Array(jobs);
    this.itemProfit = new Float64Array(jobs);
    this.itemWeight = new Int32Array(jobs);
    this.itemJob = new Int32Array(jobs);
    this.taken = new Uint8Array(jobs);
    this.inValue = new Float64Array(jobs);
    this.outValue = new Float64Array(jobs);
  }

  /** Must be called whenever the node's fixings change. */
  refreshFreeJobs(): void {
    this.freeCount = this.state.freeJobs(this.freeJobs);
  }

  /** Collects agent i's items with a positive reduced profit; returns how many. */
  private collectItems(agent: number, multiplier: Float64Array): number {
    const { jobs, profit, weight } = this.problem;
    const allowed = this.state.allowed;
    const row = agent * jobs;
    let items = 0;
    for (let f = 0; f < this.freeCount; f++) {
      const j = this.freeJobs[f];
      if (allowed[row + j] === 0) continue;
      const reduced = profit[row + j] - multiplier[j];
      if (reduced <= 0) continue;
      this.itemProfit[items] = reduced;
      this.itemWeight[items] = weight[row + j];
      this.itemJob[items] = j;
      items++;
    }
    return items;
  }

  /** L(u), filling chosen, coverCount and agentValue. */
  evaluate(multiplier: Float64Array): number {
    const { agents, jobs } = this.problem;
    let bound = this.state.fixedValue;
    for (let f = 0; f < this.freeCount; f++) {
      const j = this.freeJobs[f];
      bound += multiplier[j];
      this.coverCount[j] = 0;
    }
    this.chosen.fill(0);
    this.exact = true;
    for (let i = 0; i < agents; i++) {
      const items = this.collectItems(i, multiplier);
      const value = this.knapsack.solve(this.itemProfit, this.itemWeight, items, this.state.remaining[i], this.taken);
      this.agentValue[i] = value;
      this.exact &&= this.knapsack.exact;
      bound += value;
      for (let k = 0; k < items; k++) {
        if (this.taken[k] === 1) {
          const j = this.itemJob[k];
          this.chosen[i * jobs + j] = 1;
          this.coverCount[j]++;
        }
      }
    }
    return bound;
  }

  /**
   * L(u) and, for every usable pair of a free job, the bound of the node with that pair forced
   * to 1 (ifAssigned) or to 0 (ifForbidden), all with the same u. Forcing job j onto agent i also
   * forces it out of every other knapsack, so those agents' losses count too: this makes the
   * reduced-cost fixing noticeably stronger than looking at agent i alone.
   */
  pairBounds(multiplier: Float64Array, ifAssigned: Float64Array, ifForbidden: Float64Array): number {
    const { agents, jobs, profit, weight } = this.problem;
    const { allowed, remaining } = this.state;
    // Losses are stored in the output arrays first and turned into bounds at the end.
    const lossIn = ifAssigned;
    const lossOut = ifForbidden;
    let bound = this.state.fixedValue;
    for (let f = 0; f < this.freeCount; f++) bound += multiplier[this.freeJobs[f]];
    for (let i = 0; i < agents; i++) {
      const row = i * jobs;
      const items = this.collectItems(i, multiplier);
      const value = this.knapsack.forcedValues(
        this.itemProfit,
        this.itemWeight,
        items,
        remaining[i],
        this.inValue,
        this.outValue,
      );
      this.agentValue[i] = value;
      bound += value;
      for (let f = 0; f < this.freeCount; f++) {
        const j = this.freeJobs[f];
        lossIn[row + j] = 0;
        lossOut[row + j] = 0;
      }
      for (let k = 0; k < items; k++) {
        const pair = row + this.itemJob[k];
        lossIn[pair] = Math.max(0, value - this.inValue[k]);
        lossOut[pair] = Math.max(0, value - this.outValue[k]);
      }
      // Jobs with a non-positive reduced profit were not offered: forcing one in costs its
      // reduced profit plus the best packing of the capacity it leaves.
      for (let f = 0; f < this.freeCount; f++) {
        const j = this.freeJobs[f];
        const pair = row + j;
        if (allowed[pair] === 0) continue;
        const reduced = profit[pair] - multiplier[j];
        if (reduced > 0) continue;
        const forcedIn = reduced + this.knapsack.bestWithin(remaining[i] - weight[pair]);
        lossIn[pair] = Math.max(0, value - forcedIn);
      }
    }
    for (let f = 0; f < this.freeCount; f++) {
      const j = this.freeJobs[f];
      let totalLossOut = 0;
      for (let i = 0; i < agents; i++) if (allowed[i * jobs + j] === 1) totalLossOut += lossOut[i * jobs + j];
      for (let i = 0; i < agents; i++) {
        const pair = i * jobs + j;
        if (allowed[pair] === 0) continue;
        const outHere = lossOut[pair];
        ifAssigned[pair] = bound - lossIn[pair] - (totalLossOut - outHere);
        ifForbidden[pair] = bound - outHere;
      }
    }
    return bound;
  }
}

/**
 * u[j] = second-best profit of job j: then only the best agent sees a positive reduced profit,
 * so the first relaxed solution is the unconstrained greedy choice.
 */
export function initialMultipliers(problem: GapProblem): Float64Array {
  const { agents, jobs, profit, allowed } = problem;
  const multiplier = new Float64Array(jobs);
  for (let j = 0; j < jobs; j++) {
    let first = -Infinity;
    let second = -Infinity;
    for (let i = 0; i < agents; i++) {
      if (allowed[i * jobs + j] === 0) continue;
      const p = profit[i * jobs + j];
      if (p > first) {
        second = first;
        first = p;
      } else if (p > second) {
        second = p;
      }
    }
    multiplier[j] = second > -Infinity ? second : first > -Infinity ? first - 1 : 0;
  }
  return multiplier;
}
