import type { GapProblem } from "./problem";

const FREE = -1;

/**
 * The branch-and-bound node being explored: which jobs are fixed to which agent, which pairs
 * are still usable, and what capacity is left. Changes are recorded on a trail so that moving to
 * another node of the depth-first search undoes them in reverse instead of copying the state.
 */
export class SearchState {
  /** Agent per job, FREE (-1) while the job is open. */
  readonly assigned: Int32Array;
  /** Usable pairs at this node, [agent * jobs + job]. */
  readonly allowed: Uint8Array;
  /** Usable agents per job. */
  readonly allowedCount: Int32Array;
  readonly remaining: Int32Array;
  /** Internal profit of the fixed jobs. */
  fixedValue = 0;
  freeCount: number;
  /** Positive entries: pair index + 1 that was forbidden; negative: -(pair index + 1) assigned. */
  private trail: number[] = [];
  /** Jobs whose usable agents dropped to one or none, waiting for propagate(). */
  private pending: number[] = [];

  constructor(readonly problem: GapProblem) {
    const { agents, jobs } = problem;
    this.assigned = new Int32Array(jobs).fill(FREE);
    this.allowed = Uint8Array.from(problem.allowed);
    this.allowedCount = new Int32Array(jobs);
    this.remaining = Int32Array.from(problem.capacity);
    this.freeCount = jobs;
    for (let i = 0; i < agents; i++) {
      for (let j = 0; j < jobs; j++) this.allowedCount[j] += this.allowed[i * jobs + j];
    }
    for (let j = 0; j < jobs; j++) if (this.allowedCount[j] <= 1) this.pending.push(j);
  }

  get mark(): number {
    return this.trail.length;
  }

  isFree(job: number): boolean {
    return this.assigned[job] === FREE;
  }

  forbid(agent: number, job: number): void {
    const pair = agent * this.problem.jobs + job;
    if (this.allowed[pair] === 0) return;
    this.allowed[pair] = 0;
    this.trail.push(pair + 1);
    if (--this.allowedCount[job] <= 1 && this.assigned[job] === FREE) this.pending.push(job);
  }

  /** Fixes the job to the agent and forbids every free job that no longer fits there. */
  assign(agent: number, job: number): void {
    const { jobs, weight, profit } = this.problem;
    const pair = agent * jobs + job;
    this.assigned[job] = agent;
    this.remaining[agent] -= weight[pair];
    this.fixedValue += profit[pair];
    this.freeCount--;
    this.trail.push(-(pair + 1));
    const room = this.remaining[agent];
    const row = agent * jobs;
    for (let k = 0; k < jobs; k++) {
      if (this.allowed[row + k] === 1 && this.assigned[k] === FREE && weight[row + k] > room) this.forbid(agent, k);
    }
  }

  /**
   * Assigns every free job left with a single usable agent, until nothing changes.
   * Returns false when some job has no usable agent left (the node is infeasible).
   */
  propagate(): boolean {
    const { agents, jobs, weight } = this.problem;
    while (this.pending.length > 0) {
      const job = this.pending.pop() as number;
      if (this.assigned[job] !== FREE) continue;
      if (this.allowedCount[job] === 0) {
        this.pending.length = 0;
        return false;
      }
      if (this.allowedCount[job] > 1) continue;
      let agent = 0;
      while (agent < agents && this.allowed[agent * jobs + job] === 0) agent++;
      // allowed pairs always fit (assign() forbids what stops fitting), so this cannot overflow.
      if (weight[agent * jobs + job] > this.remaining[agent]) {
        this.pending.length = 0;
        return false;
      }
      this.assign(agent, job);
    }
    return true;
  }

  /** Undoes every change made after `mark` was read. */
  undoTo(mark: number): void {
    const { jobs, weight, profit } = this.problem;
    const trail = this.trail;
    this.pending.length = 0;
    while (trail.length > mark) {
      const entry = trail.pop() as number;
      if (entry > 0) {
        const pair = entry - 1;
        this.allowed[pair] = 1;
        this.allowedCount[pair % jobs]++;
      } else {
        const pair = -entry - 1;
        const agent = Math.floor(pair / jobs);
        this.assigned[pair % jobs] = FREE;
        this.remaining[agent] += weight[pair];
        this.fixedValue -= profit[pair];
        this.freeCount++;
      }
    }
  }

  /** Free jobs in increasing order, written into `out`; returns how many. */
  freeJobs(out: Int32Array): number {
    let count = 0;
    for (let j = 0; j < this.problem.jobs; j++) if (this.assigned[j] === FREE) out[count++] = j;
    return count;
  }
}
