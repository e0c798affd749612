/**
 * Exact 0-1 knapsacks for the Lagrangian subproblems.
 *
 * Profits are real (profit minus a multiplier) and only items with a positive profit are passed
 * in, so the item count is small (about jobs / agents). Where capacities are small (a few
 * hundred units in the benchmarks) a dynamic programme over capacity is used: its cost,
 * items * capacity, does not depend on how the multipliers happen to correlate profits with
 * weights, which can make branch-and-bound knapsacks explode.
 *
 * Past MAX_TABLE_CELLS (large capacities, e.g. watt-hours in the market) a depth-first search
 * takes over; if that runs out of nodes the fractional (Dantzig) bound is returned instead:
 * still an upper bound, so every Lagrangian bound stays valid, only weaker (see `exact`).
 */

import { densityOrder, fractionalBound, searchKnapsack } from "./knapsackSearch";

/** Largest dynamic-programming table (cells) before switching to the depth-first search. */
const MAX_TABLE_CELLS = 1 << 18;
/** Node budget of one depth-first knapsack search. */
const MAX_SEARCH_NODES = 20_000;

export class KnapsackSolver {
  private best = new Float64Array(0);
  private keep = new Uint8Array(0);
  private forward = new Float64Array(0);
  private backward = new Float64Array(0);
  private order = new Int32Array(0);
  private reachAt = new Int32Array(0);
  private lowAt = new Int32Array(0);
  /** Capacity the last forcedValues call tabulated; bestWithin reads row `items` of `forward`. */
  private lastCapacity = 0;
  private lastItems = 0;
  /** Set when the last forcedValues() searched instead of tabulating: bestWithin() bounds then. */
  private searched: { profit: Float64Array; weight: Int32Array; order: Int32Array } | null = null;
  /** False when the last solve() or forcedValues() returned a bound instead of the optimum. */
  exact = true;

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
    this.exact = true;
    if (totalWeight <= capacity) {
      taken.fill(1, 0, items);
      return totalProfit;
    }
    const cap = capacity;
    const width = cap + 1;
    if (items * width > MAX_TABLE_CELLS) {
      const result = searchKnapsack(profit, weight, densityOrder(profit, weight, items), cap, taken, MAX_SEARCH_NODES);
      this.exact = result.exact;
      return result.value;
    }

    if (this.best.length < width) this.best = new Float64Array(width);
    if (this.keep.length < items * width) this.keep = new Uint8Array(items * width);
    if (this.reachAt.length < items) {
      this.reachAt = new Int32Array(items);
      this.lowAt = new Int32Array(items);
    }
    const best = this.best;
    const keep = this.keep;
    const reachAt = this.reachAt;
    const lowAt = this.lowAt;
    const order = this.sortByWeight(weight, items);

    // Only cells that can still matter are swept: below `reach` (the heaviest load the items so
    // far can make; cells above it would copy best[reach] and are filled when the reach grows)
    // and above capacity minus the weight of the items still to come (lower cells can no
    // longer lead to best[cap]). Light items first keep the reach low while the sweep is wide.
    let pending = totalWeight;
    let reach = 0;
    best.fill(0, 0, width);
    for (let k = 0; k < items; k++) {
      const item = order[k];
      const w = weight[item];
      const p = profit[item];
      pending -= w;
      const row = k * width;
      const grown = Math.min(cap, reach + w);
      const carried = best[reach];
      for (let c = reach + 1; c <= grown; c++) best[c] = carried;
      reach = grown;
      reachAt[k] = reach;
      const low = Math.max(w, cap - pending);
      lowAt[k] = low;
      if (low > reach) continue;
      keep.fill(0, row + low, row + reach + 1);
      for (let c = reach; c >= low; c--) {
        const candidate = best[c - w] + p;
        if (candidate > best[c]) {
          best[c] = candidate;
          keep[row + c] = 1;
        }
      }
    }
    // Walking back from best[cap] only visits swept cells: above reachAt[k] the best choice
    // among the first k items is the one at reachAt[k], and the load left never drops below
    // capacity minus the weight of the items after k.
    let c = cap;
    for (let k = items - 1; k >= 0; k--) {
      const item = order[k];
      if (c > reachAt[k]) c = reachAt[k];
      const w = weight[item];
      if (c >= lowAt[k] && keep[k * width + c] === 1) {
        taken[item] = 1;
        c -= w;
      } else {
        taken[item] = 0;
      }
    }
    return best[cap];
  }

  /**
   * For every item, the optimum when the item is forced in (inValue) and forced out (outValue),
   * from a forward table over items 0..k-1 and a backward table over items k+1..: the two meet
   * at every split of the capacity. Returns the unforced optimum. Past the size limit the
   * values come from searches and may be upper bounds, which keeps every use of them valid.
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
    this.searched = null;
    this.lastCapacity = cap;
    this.lastItems = items;
    if ((items + 1) * width > MAX_TABLE_CELLS)
      return this.searchForcedValues(profit, weight, items, capacity, inValue, outValue);
    this.exact = true;
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
    return forward[items * width + cap];
  }

  /**
   * After forcedValues: the best profit of that call's items within `capacity`, used to price
   * forcing in an item that was not offered (its profit was not positive).
   */
  bestWithin(capacity: number): number {
    if (capacity < 0) return -Infinity;
    if (this.searched !== null) {
      const { profit, weight, order } = this.searched;
      return fractionalBound(profit, weight, order, 0, capacity);
    }
    const width = this.lastCapacity + 1;
    return this.forward[this.lastItems * width + Math.min(capacity, this.lastCapacity)];
  }

  /** Item indices by increasing weight (insertion sort: a few dozen items, often nearly sorted). */
  private sortByWeight(weight: Int32Array, items: number): Int32Array {
    if (this.order.length < items) this.order = new Int32Array(items);
    const order = this.order;
    for (let k = 0; k < items; k++) {
      const w = weight[k];
      let at = k;
      while (at > 0 && weight[order[at - 1]] > w) {
        order[at] = order[at - 1];
        at--;
      }
      order[at] = k;
    }
    return order;
  }

  /**
   * forcedValues for large capacities: one search per item and side. A search that runs out of
   * nodes reports its fractional bound, which over-estimates the forced optimum as it must.
   */
  private searchForcedValues(
    profit: Float64Array,
    weight: Int32Array,
    items: number,
    capacity: number,
    inValue: Float64Array,
    outValue: Float64Array,
  ): number {
    const taken = new Uint8Array(items);
    const all = densityOrder(profit, weight, items);
    const whole = searchKnapsack(profit, weight, all, capacity, taken, MAX_SEARCH_NODES);
    for (let k = 0; k < items; k++) {
      const others = densityOrder(profit, weight, items, k);
      outValue[k] = searchKnapsack(profit, weight, others, capacity, taken, MAX_SEARCH_NODES).value;
      const room = capacity - weight[k];
      inValue[k] =
        room < 0 ? -Infinity : profit[k] + searchKnapsack(profit, weight, others, room, taken, MAX_SEARCH_NODES).value;
    }
    this.searched = { profit, weight, order: all };
    this.exact = whole.exact;
    return whole.value;
  }
}
