import type { LagrangianRelaxation } from "./lagrangian";

export interface SubgradientSettings {
  /** Hard cap on knapsack rounds. */
  readonly iterations: number;
  /** Polyak step factor at the start (classically in (0, 2]). */
  readonly initialStep: number;
  /** Rounds without a better bound before the step factor is halved. */
  readonly patience: number;
  /** Stop once the step factor falls below this: the bound no longer moves. */
  readonly minStep: number;
}

export interface SubgradientHooks {
  /**
   * Internal value a new assignment must beat (the incumbent's, or a probe's target); the bound
   * only needs to fall below it + 1.
   */
  threshold(): number;
  /** Sees the relaxed solution of each round (used for Lagrangian repair heuristics). */
  onRound?(round: number): void;
  /** Asked once per round; true ends the optimisation early (time limit). */
  shouldStop?(): boolean;
}

export interface SubgradientOutcome {
  /** Best (lowest) L(u) found; `multiplier` holds the u that gave it. */
  readonly bound: number;
  /** The last relaxed solution was a complete assignment, hence optimal for the node. */
  readonly complete: boolean;
  /** The bound proves the node cannot beat the threshold. */
  readonly pruned: boolean;
}

/** Rounding slack: bounds are sums of floats, values are integers. */
export function boundSlack(bound: number): number {
  return 1e-6 + 1e-12 * Math.abs(bound);
}

/** Largest integer the node can still reach given its real-valued upper bound. */
export function integerBound(bound: number): number {
  return Math.floor(bound + boundSlack(bound));
}

/**
 * Minimises L(u) by subgradient steps u[j] -= t * (1 - cover[j]) with Polyak's step
 * t = lambda * (L - target) / ||g||^2, target = threshold + 1: the bound only has to fall below
 * the next integer above the threshold for the node to be pruned, so aiming there wastes no steps.
 * `multiplier` is updated in place and ends at the best u seen.
 */
export function optimizeMultipliers(
  relaxation: LagrangianRelaxation,
  multiplier: Float64Array,
  settings: SubgradientSettings,
  hooks: SubgradientHooks,
  scratch: Float64Array,
): SubgradientOutcome {
  const { freeJobs, freeCount, coverCount } = relaxation;
  const bestMultiplier = scratch;
  let bestBound = Infinity;
  let lambda = settings.initialStep;
  let sinceImprovement = 0;
  for (let f = 0; f < freeCount; f++) bestMultiplier[freeJobs[f]] = multiplier[freeJobs[f]];

  for (let round = 0; round < settings.iterations; round++) {
    const bound = relaxation.evaluate(multiplier);
    if (bound < bestBound - 1e-9) {
      bestBound = bound;
      sinceImprovement = 0;
      for (let f = 0; f < freeCount; f++) bestMultiplier[freeJobs[f]] = multiplier[freeJobs[f]];
    } else {
      sinceImprovement++;
    }
    let norm = 0;
    for (let f = 0; f < freeCount; f++) {
      const g = 1 - coverCount[freeJobs[f]];
      norm += g * g;
    }
    if (norm === 0) {
      // Every job taken exactly once: the relaxed solution is an assignment worth exactly L(u),
      // so no u can give a lower bound and the node is solved; `multiplier` stays at this u.
      if (relaxation.exact) return { bound, complete: true, pruned: false };
      // With bounded knapsacks the assignment is only feasible (the caller's repair heuristic
      // picks it up), and a zero subgradient cannot move u any further.
      break;
    }
    hooks.onRound?.(round);
    if (hooks.shouldStop?.() === true) break;
    const threshold = hooks.threshold();
    if (integerBound(bestBound) <= threshold) break;
    if (sinceImprovement >= settings.patience) {
      lambda /= 2;
      sinceImprovement = 0;
      if (lambda < settings.minStep) break;
    }
    const target = threshold + 1;
    const step = (lambda * Math.max(bound - target, 1e-6)) / norm;
    for (let f = 0; f < freeCount; f++) {
      const j = freeJobs[f];
      multiplier[j] -= step * (1 - coverCount[j]);
    }
  }
  for (let f = 0; f < freeCount; f++) multiplier[freeJobs[f]] = bestMultiplier[freeJobs[f]];
  return { bound: bestBound, complete: false, pruned: integerBound(bestBound) <= hooks.threshold() };
}
