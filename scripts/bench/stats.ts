/** Small statistics for the benchmark: no clock, no I/O. */

export function mean(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError("mean of nothing");
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError("median of nothing");
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function max(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError("max of nothing");
  return xs.reduce((a, b) => (b > a ? b : a), -Infinity);
}

export interface LinearFit {
  /** Gas per unit of x (the marginal cost). */
  readonly slope: number;
  /** Gas at x = 0 (the fixed cost). */
  readonly intercept: number;
  /** Largest |measured - fitted| / measured over the points. */
  readonly maxRelativeResidual: number;
}

/** Ordinary least squares y = intercept + slope * x over at least two distinct x. */
export function linearFit(points: readonly (readonly [number, number])[]): LinearFit {
  if (points.length < 2) throw new RangeError("a linear fit needs two points");
  const mx = mean(points.map(([x]) => x));
  const my = mean(points.map(([, y]) => y));
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) * (x - mx);
  }
  if (sxx === 0) throw new RangeError("a linear fit needs two distinct x");
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const maxRelativeResidual = max(points.map(([x, y]) => Math.abs(y - (intercept + slope * x)) / y));
  return { slope, intercept, maxRelativeResidual };
}

/** The largest whole x with intercept + slope * x <= limit. */
export function largestUnder(fit: LinearFit, limit: number): number {
  return Math.floor((limit - fit.intercept) / fit.slope);
}
