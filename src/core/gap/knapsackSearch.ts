/**
 * Depth-first 0-1 knapsack search (Horowitz and Sahni) for capacities too large for a
 * dynamic programme over capacity, e.g. market capacities in watt-hours. Items are taken in
 * order of profit density; Dantzig's fractional bound prunes. Profits must be positive.
 */

export interface KnapsackSearchResult {
  /** Optimum when `exact`, otherwise an upper bound (the fractional bound of the whole problem). */
  readonly value: number;
  /** False when the node budget ran out: `taken` then holds the best selection found. */
  readonly exact: boolean;
}

/** Items in decreasing profit density; weight-0 items first (infinite density). */
export function densityOrder(profit: Float64Array, weight: Int32Array, items: number, skip = -1): Int32Array {
  const order: number[] = [];
  for (let k = 0; k < items; k++) if (k !== skip) order.push(k);
  order.sort((a, b) => profit[b] * weight[a] - profit[a] * weight[b] || a - b);
  return Int32Array.from(order);
}

/** Dantzig's bound of the items `order[from..]` (density order) within `room`. */
export function fractionalBound(
  profit: Float64Array,
  weight: Int32Array,
  order: Int32Array,
  from: number,
  room: number,
): number {
  let bound = 0;
  for (let k = from; k < order.length; k++) {
    const item = order[k];
    if (weight[item] <= room) {
      room -= weight[item];
      bound += profit[item];
    } else {
      return bound + (profit[item] * room) / weight[item];
    }
  }
  return bound;
}

/**
 * Maximises the profit of the items in `order` within `capacity`, writing the selection into
 * `taken` (indexed by item). Stops after `maxNodes` bound evaluations.
 */
export function searchKnapsack(
  profit: Float64Array,
  weight: Int32Array,
  order: Int32Array,
  capacity: number,
  taken: Uint8Array,
  maxNodes: number,
): KnapsackSearchResult {
  const n = order.length;
  const current = new Uint8Array(n);
  let best = 0;
  for (const item of order) taken[item] = 0;
  let load = 0;
  let value = 0;
  let next = 0;
  for (let nodes = 0; nodes < maxNodes; nodes++) {
    const bound = value + fractionalBound(profit, weight, order, next, capacity - load);
    if (bound > best + 1e-12) {
      // Forward move: take every following item that fits, skip the first one that does not.
      while (next < n && weight[order[next]] <= capacity - load) {
        current[next] = 1;
        load += weight[order[next]];
        value += profit[order[next]];
        next++;
      }
      if (next < n) {
        current[next] = 0;
        next++;
        if (next < n) continue;
      }
      if (value > best) {
        best = value;
        for (let k = 0; k < n; k++) taken[order[k]] = current[k];
      }
    }
    // Backtrack: drop the last taken item and explore without it.
    let last = next - 1;
    while (last >= 0 && current[last] === 0) last--;
    if (last < 0) return { value: best, exact: true };
    current[last] = 0;
    load -= weight[order[last]];
    value -= profit[order[last]];
    next = last + 1;
  }
  return { value: Math.max(best, fractionalBound(profit, weight, order, 0, capacity)), exact: false };
}
