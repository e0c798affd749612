/**
 * Public types of the generalized assignment problem (GAP) solver.
 *
 * Every job goes to exactly one agent; the resources an agent receives must fit its capacity.
 * All numbers are integers: the bound pruning rounds the relaxation to whole objective units,
 * which is only sound when every value is an integer.
 */

export type GapObjective = "max" | "min";

export interface GapInstance {
  /** Number of agents (providers in the market). */
  readonly agents: number;
  /** Number of jobs (requests in the market). */
  readonly jobs: number;
  /** value[agent][job]: profit when maximising, cost when minimising. Safe integers. */
  readonly value: readonly (readonly number[])[];
  /** resource[agent][job]: capacity the job consumes at that agent. Non-negative safe integers. */
  readonly resource: readonly (readonly number[])[];
  /** capacity[agent]: non-negative safe integers. */
  readonly capacity: readonly number[];
  readonly objective: GapObjective;
  /** Pairs [agent, job] that may not be used (e.g. a provider whose revenue would be negative). */
  readonly forbidden?: readonly (readonly [agent: number, job: number])[];
}

/** Why the search stopped, from the strongest claim to the weakest. */
export type GapStatus =
  /** The assignment is proven optimal; bound === objective. */
  | "optimal"
  /** The node limit stopped the search; the assignment is the best found, bound is proven. */
  | "feasible"
  /** Proven: no assignment satisfies the capacities (and the forbidden pairs). */
  | "infeasible"
  /**
   * The clock stopped the search, or the node limit did before any assignment was found.
   * assignment is the best found so far (null when none), bound is proven.
   */
  | "timeLimit";

export interface GapResult {
  readonly status: GapStatus;
  /** Objective of `assignment`, null when there is none. */
  readonly objective: number | null;
  /**
   * Proven bound on the optimum: an upper bound when maximising, a lower bound when minimising.
   * -Infinity (max) or +Infinity (min) when the instance is proven infeasible.
   */
  readonly bound: number;
  /** Agent index (0-based) per job; index `agents` means the grid when gridFallback is on. */
  readonly assignment: number[] | null;
  /** Branch-and-bound nodes evaluated (the root counts as one). */
  readonly nodes: number;
}

export interface GapOptions {
  /** Wall-clock budget in milliseconds measured with `now`. Default: no limit. */
  readonly timeLimitMs: number;
  /** Budget of branch-and-bound nodes; unlike the clock it keeps results deterministic. Default: no limit. */
  readonly nodeLimit: number;
  /** Clock in milliseconds, injected so the solver stays pure; only read when timeLimitMs is finite. */
  readonly now: () => number;
  /**
   * Adds a virtual "grid" agent (index `agents`) that takes any job at value `gridValue` with no
   * capacity limit, so every instance becomes feasible. See gridFallback.ts.
   */
  readonly gridFallback: boolean;
  /** Value of a job given to the grid (profit when maximising, cost when minimising). Default 0. */
  readonly gridValue: number;
  /**
   * A known assignment to start from (ignored when it is not feasible). With gridFallback, grid
   * jobs carry the grid's index, `agents`.
   */
  readonly initialAssignment: readonly number[] | null;
  /** Subgradient iterations at the root (the strongest bound is worth the time there). */
  readonly rootIterations: number;
  /** Subgradient iterations per node and per fixing round. */
  readonly nodeIterations: number;
}
