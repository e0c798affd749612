import type { GapInstance } from "./types";

/**
 * The instance as the solver works on it: always maximised, flat typed arrays indexed
 * [agent * jobs + job], and each agent's resources divided by their greatest common divisor
 * (which shrinks the knapsack dynamic programmes without changing which sets fit).
 */
export interface GapProblem {
  readonly agents: number;
  readonly jobs: number;
  /** Integer profits; the negated costs of a minimisation. */
  readonly profit: Float64Array;
  readonly weight: Int32Array;
  readonly capacity: Int32Array;
  /** Per agent, the divisor applied to its resources (original resource = weight * weightScale). */
  readonly weightScale: Int32Array;
  /** 1 where the pair may be used: not forbidden and the job alone fits the agent. */
  readonly allowed: Uint8Array;
  /** Caller's objective = sense * internal objective. */
  readonly sense: 1 | -1;
}

/** Largest resource or capacity we accept, so `capacity + 1` still fits an Int32Array. */
const MAX_CAPACITY = 2 ** 30;

export function validateInstance(instance: GapInstance): void {
  const { agents, jobs, value, resource, capacity } = instance;
  if (!Number.isInteger(agents) || agents < 0 || !Number.isInteger(jobs) || jobs < 0) {
    throw new RangeError(`GAP: agents and jobs must be non-negative integers (got ${agents}, ${jobs})`);
  }
  if (instance.objective !== "max" && instance.objective !== "min") {
    throw new RangeError(`GAP: objective must be "max" or "min" (got ${String(instance.objective)})`);
  }
  if (value.length !== agents || resource.length !== agents || capacity.length !== agents) {
    throw new RangeError("GAP: value, resource and capacity must have one entry per agent");
  }
  for (let i = 0; i < agents; i++) {
    if (value[i].length !== jobs || resource[i].length !== jobs) {
      throw new RangeError(`GAP: agent ${i} needs one value and one resource per job`);
    }
    if (!Number.isSafeInteger(capacity[i]) || capacity[i] < 0 || capacity[i] > MAX_CAPACITY) {
      throw new RangeError(`GAP: capacity[${i}] must be an integer in [0, 2^30] (got ${capacity[i]})`);
    }
    for (let j = 0; j < jobs; j++) {
      if (!Number.isSafeInteger(value[i][j])) {
        throw new RangeError(`GAP: value[${i}][${j}] must be a safe integer (got ${value[i][j]})`);
      }
      const r = resource[i][j];
      if (!Number.isSafeInteger(r) || r < 0 || r > MAX_CAPACITY) {
        throw new RangeError(`GAP: resource[${i}][${j}] must be an integer in [0, 2^30] (got ${r})`);
      }
    }
  }
  for (const pair of instance.forbidden ?? []) {
    const [i, j] = pair;
    if (!Number.isInteger(i) || i < 0 || i >= agents || !Number.isInteger(j) || j < 0 || j >= jobs) {
      throw new RangeError(`GAP: forbidden pair [${i}, ${j}] is out of range`);
    }
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

export function toProblem(instance: GapInstance): GapProblem {
  validateInstance(instance);
  const { agents, jobs } = instance;
  const sense = instance.objective === "max" ? 1 : -1;
  const profit = new Float64Array(agents * jobs);
  const weight = new Int32Array(agents * jobs);
  const capacity = new Int32Array(agents);
  const weightScale = new Int32Array(agents);
  const allowed = new Uint8Array(agents * jobs).fill(1);
  for (const [i, j] of instance.forbidden ?? []) allowed[i * jobs + j] = 0;

  for (let i = 0; i < agents; i++) {
    const cap = instance.capacity[i];
    // Only resources of usable pairs matter for the divisor; a zero divisor means all are 0.
    let divisor = 0;
    for (let j = 0; j < jobs; j++) {
      const r = instance.resource[i][j];
      if (allowed[i * jobs + j] === 1 && r <= cap) divisor = gcd(divisor, r);
    }
    if (divisor === 0) divisor = 1;
    weightScale[i] = divisor;
    capacity[i] = Math.floor(cap / divisor);
    for (let j = 0; j < jobs; j++) {
      const k = i * jobs + j;
      const r = instance.resource[i][j];
      profit[k] = sense * instance.value[i][j];
      if (r > cap) allowed[k] = 0;
      // A pair that can never be used keeps a weight above capacity so no code path can take it.
      weight[k] = allowed[k] === 1 ? r / divisor : capacity[i] + 1;
    }
  }
  return { agents, jobs, profit, weight, capacity, weightScale, allowed, sense };
}

/** Internal (maximised) value of a complete assignment; no feasibility check. */
export function internalValue(problem: GapProblem, assignment: ArrayLike<number>): number {
  let total = 0;
  for (let j = 0; j < problem.jobs; j++) total += problem.profit[assignment[j] * problem.jobs + j];
  return total;
}

/** True when every job has a usable agent and every agent's load fits its capacity. */
export function isFeasibleAssignment(problem: GapProblem, assignment: ArrayLike<number>): boolean {
  const { agents, jobs } = problem;
  if (assignment.length !== jobs) return false;
  const load = new Float64Array(agents);
  for (let j = 0; j < jobs; j++) {
    const i = assignment[j];
    if (!Number.isInteger(i) || i < 0 || i >= agents || problem.allowed[i * jobs + j] === 0) return false;
    load[i] += problem.weight[i * jobs + j];
  }
  for (let i = 0; i < agents; i++) if (load[i] > problem.capacity[i]) return false;
  return true;
}

/** Sum over jobs of the least profitable usable pair: no assignment can be worth less. */
export function worstAssignmentValue(problem: GapProblem): number {
  const { agents, jobs, profit, allowed } = problem;
  let total = 0;
  for (let j = 0; j < jobs; j++) {
    let worst = Infinity;
    for (let i = 0; i < agents; i++) if (allowed[i * jobs + j] === 1) worst = Math.min(worst, profit[i * jobs + j]);
    total += worst === Infinity ? 0 : worst;
  }
  return total;
}
