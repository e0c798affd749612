/**
 * Exact 0-1 knapsack by dynamic programming over capacity, for the Lagrangian subproblems.
 *
 * Profits are real (profit minus a multiplier) and only items with a positive profit are passed
 * in, so the item count is small (about jobs / agents) while capacities of the benchmark and
 * market instances are a few hundred units: O(items * capacity) beats branch-and-bound in the
 * worst case and never depends on how the multipliers happen to order the items.
 *
 * When a table would exceed MAX_TABLE_CELLS, the solver returns the fractional (Dantzig) bound
 * instead: still an upper bound, so every Lagrangian bound stays valid, only weaker.
 */

/** Largest dynamic-programming table (cells) before falling back to the fractional bound. */
const MAX_TABLE_CELLS = 1 << 24;

export class KnapsackSolver {
  private best = new Float64Array(0);
  private keep = new Uint8Array(0);
  private forward = new Float64Array(0);
  private backward = new Float64Array(0);
  private order = new Int32Array(0);
  private reachAt = new Int32Array(0);
  /** Capacity the last forcedValues call tabulated; bestWithin reads row `items` of `forward`. */
  private lastCapacity = 0;
  private lastItems = 0;
  private lastExact = true;
  private lastValue = 0;

  /**
   * Maximises sum profit[k] * x[k] subject to sum weight[k] * x[k] <= capacity.
   * Writes x into `taken` and returns the optimum (or, past the size limit, an upper bound).
   */
  solve(profit: Float64Array, weight: Int32Array, items: number, capacity: number, taken: Uint8Array): number {
    let totalWeight = 0;
    let totalProfit = 0;
    for (let k = 0; k < items; k++) {
      totalWeight += weight[k];
      totalProfit += profit[k];
    }
    if (totalWeight <= capacity) {
      taken.fill(1, 0, items);
      return totalProfit;
    }
    const cap = capacity;
    const width = cap + 1;
    if (items * width > MAX_TABLE_CELLS) return this.fractionalBound(profit, weight, items, cap, taken);

    if (this.best.length < width) this.best = new Float64Array(width);
    if (this.keep.length < items * width) this.keep = new Uint8Array(items * width);
    const best = this.best;
    const keep = this.keep;
    if (this.reachAt.length < items) this.reachAt = new Int32Array(items);
    const reachAt = this.reachAt;
    best.fill(0, 0, width);
    // Cells above `reach` (the heaviest load items 0..k-1 can make) would only copy best[reach],
    // so they are filled when the reach grows instead of being swept for every item.
    let reach = 0;
    for (let k = 0; k < items; k++) {
      const w = weight[k];
      const p = profit[k];
      const row = k * width;
      const grown = Math.min(cap, reach + w);
      const carried = best[reach];
      for (let c = reach + 1; c <= grown; c++) best[c] = carried;
      reach = grown;
      reachAt[k] = reach;
      keep.fill(0, row, row + reach + 1);
      for (let c = reach; c >= w; c--) {
        const candidate = best[c - w] + p;
        if (candidate > best[c]) {
          best[c] = candidate;
          keep[row + c] = 1;
        }
      }
    }
    // Above reachAt[k] the best choice among items 0..k is the one at reachAt[k].
    let c = cap;
    for (let k = items - 1; k >= 0; k--) {
      if (c > reachAt[k]) c = reachAt[k];
      if (keep[k * width + c] === 1) {
        taken[k] = 1;
        c -= weight[k];
      } else {
        taken[k] = 0;
      }
    }
    return best[cap];
  }

  /**
   * For every item, the optimum when the item is forced in (inValue) and forced out (outValue),
   * from a forward table over items 0..k-1 and a backward table over items k+1..: the two meet
   * at every split of the capacity. Returns the unforced optimum. Past the size limit every
   * forced value is the fractional bound of the whole knapsack, which is weak but valid.
   */
  forcedValues(
    profit: Float64Array,
    weight: Int32Array,
    items: number,
    capacity: number,
    inValue: Float64Array,
    outValue: Float64Array,
  ): number {
    let totalWeight = 0;
    for (let k = 0; k < items; k++) totalWeight += weight[k];
    const cap = Math.min(capacity, totalWeight);
    const width = cap + 1;
    this.lastCapacity = cap;
    this.lastItems = items;
    if ((items + 1) * width > MAX_TABLE_CELLS) {
      const scratch = new Uint8Array(items);
      const bound = this.fractionalBound(profit, weight, items, capacity, scratch);
      inValue.fill(bound, 0, items);
      outValue.fill(bound, 0, items);
      this.lastExact = false;
      this.lastValue = bound;
      return bound;
    }
    this.lastExact = true;
    const cells = (items + 1) * width;
    if (this.forward.length < cells) this.forward = new Float64Array(cells);
    if (this.backward.length < cells) this.backward = new Float64Array(cells);
    const forward = this.forward;
    const backward = this.backward;

    forward.fill(0, 0, width);
    for (let k = 0; k < items; k++) {
      const w = weight[k];
      const p = profit[k];
      const from = k * width;
      const to = from + width;
      for (let c = 0; c < width; c++) {
        const skip = forward[from + c];
        forward[to + c] = c >= w && forward[from + c - w] + p > skip ? forward[from + c - w] + p : skip;
      }
    }
    backward.fill(0, items * width, (items + 1) * width);
    for (let k = items - 1; k >= 0; k--) {
      const w = weight[k];
      const p = profit[k];
      const from = (k + 1) * width;
      const to = k * width;
      for (let c = 0; c < width; c++) {
        const skip = backward[from + c];
        backward[to + c] = c >= w && backward[from + c - w] + p > skip ? backward[from + c - w] + p : skip;
      }
    }

    for (let k = 0; k < items; k++) {
      const before = k * width;
      const after = (k + 1) * width;
      let out = -Infinity;
      for (let c = 0; c <= cap; c++) {
        const v = forward[before + c] + backward[after + cap - c];
        if (v > out) out = v;
      }
      outValue[k] = out;
      const rest = cap - weight[k];
      let inside = -Infinity;
      for (let c = 0; c <= rest; c++) {
        const v = forward[before + c] + backward[after + rest - c];
        if (v > inside) inside = v;
      }
      inValue[k] = inside + profit[k];
    }
    this.lastValue = forward[items * width + cap];
    return this.lastValue;
  }

  /**
   * After forcedValues: the best profit of that call's items within `capacity`, used to price
   * forcing in an item that was not offered (its profit was not positive).
   */
  bestWithin(capacity: number): number {
    if (capacity < 0) return -Infinity;
    if (!this.lastExact) return this.lastValue;
    const width = this.lastCapacity + 1;
    return this.forward[this.lastItems * width + Math.min(capacity, this.lastCapacity)];
  }

  /** Dantzig's bound: greedy by profit density, the first item that does not fit taken fractionally. */
  private fractionalBound(
    profit: Float64Array,
    weight: Int32Array,
    items: number,
    capacity: number,
    taken: Uint8Array,
  ): number {
    if (this.order.length < items) this.order = new Int32Array(items);
    const order = this.order.subarray(0, items);
    for (let k = 0; k < items; k++) order[k] = k;
    // Zero weights have infinite density; the ratio comparison puts them first.
    order.sort((a, b) => profit[b] * weight[a] - profit[a] * weight[b] || a - b);
    taken.fill(0, 0, items);
    let room = capacity;
    let bound = 0;
    for (const k of order) {
      if (weight[k] <= room) {
        room -= weight[k];
        bound += profit[k];
        taken[k] = 1;
      } else {
        bound += (profit[k] * room) / weight[k];
        break;
      }
    }
    return bound;
  }
}
