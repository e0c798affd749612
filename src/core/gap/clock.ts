/**
 * The default clock for time limits. It lives behind this wrapper so the solver never reads
 * the clock itself: callers (and tests) inject any `() => number` in milliseconds instead.
 */
export function performanceNow(): number {
  return performance.now();
}
