import { expect } from "chai";
import fc from "fast-check";
import { KnapsackSolver } from "../../../src/core/gap/knapsack";
import { densityOrder, searchKnapsack } from "../../../src/core/gap/knapsackSearch";

interface Knapsack {
  readonly profit: number[];
  readonly weight: number[];
  readonly capacity: number;
}

/** Best profit over all subsets, optionally with one item forced in or out. */
function enumerate(k: Knapsack, force?: { item: number; in: boolean }): number {
  let best = -Infinity;
  for (let mask = 0; mask < 1 << k.profit.length; mask++) {
    if (force !== undefined && ((mask >> force.item) & 1) !== (force.in ? 1 : 0)) continue;
    let weight = 0;
    let profit = 0;
    for (let i = 0; i < k.profit.length; i++) {
      if ((mask >> i) & 1) {
        weight += k.weight[i];
        profit += k.profit[i];
      }
    }
    if (weight <= k.capacity && profit > best) best = profit;
  }
  return best;
}

const knapsack: fc.Arbitrary<Knapsack> = fc.integer({ min: 0, max: 10 }).chain((items) =>
  fc.record({
    // Real, positive profits: what the Lagrangian subproblems pass in.
    profit: fc.array(fc.double({ min: 0.01, max: 50, noNaN: true }), { minLength: items, maxLength: items }),
    weight: fc.array(fc.integer({ min: 0, max: 25 }), { minLength: items, maxLength: items }),
    capacity: fc.integer({ min: 0, max: 80 }),
  }),
);

describe("GAP knapsack subproblem", () => {
  const solver = new KnapsackSolver();
  const close = (a: number, b: number): void => {
    expect(a).to.be.closeTo(b, 1e-9);
  };

  it("solves 0-1 knapsacks exactly and returns a matching selection", () => {
    fc.assert(
      fc.property(knapsack, (k) => {
        const taken = new Uint8Array(k.profit.length);
        const value = solver.solve(
          Float64Array.from(k.profit),
          Int32Array.from(k.weight),
          k.profit.length,
          k.capacity,
          taken,
        );
        close(value, enumerate(k));
        let weight = 0;
        let profit = 0;
        taken.forEach((x, i) => {
          weight += x * k.weight[i];
          profit += x * k.profit[i];
        });
        expect(weight).to.be.at.most(k.capacity);
        close(profit, value);
      }),
      { seed: 7, numRuns: 400 },
    );
  });

  it("prices every item forced in and forced out", () => {
    fc.assert(
      fc.property(knapsack, (k) => {
        const items = k.profit.length;
        const inValue = new Float64Array(items);
        const outValue = new Float64Array(items);
        const fits = k.weight.map((w) => w <= k.capacity);
        // The relaxation only offers items that fit on their own.
        if (fits.some((f) => !f)) return;
        const value = solver.forcedValues(
          Float64Array.from(k.profit),
          Int32Array.from(k.weight),
          items,
          k.capacity,
          inValue,
          outValue,
        );
        close(value, enumerate(k));
        for (let i = 0; i < items; i++) {
          close(inValue[i], enumerate(k, { item: i, in: true }));
          close(outValue[i], enumerate(k, { item: i, in: false }));
        }
        for (const c of [0, k.capacity >> 2, k.capacity >> 1, k.capacity - 1, k.capacity + 5]) {
          if (c >= 0) close(solver.bestWithin(c), enumerate({ ...k, capacity: Math.min(c, k.capacity) }));
        }
      }),
      { seed: 8, numRuns: 400 },
    );
  });
});

describe("GAP knapsack subproblem with large capacities (depth-first search)", () => {
  const solver = new KnapsackSolver();
  // Weights in the tens of thousands push the tables past their size limit.
  const large: fc.Arbitrary<Knapsack> = fc.integer({ min: 1, max: 12 }).chain((items) =>
    fc.record({
      profit: fc.array(fc.double({ min: 0.01, max: 50, noNaN: true }), { minLength: items, maxLength: items }),
      weight: fc.array(fc.integer({ min: 20_000, max: 90_000 }), { minLength: items, maxLength: items }),
      capacity: fc.integer({ min: 90_000, max: 400_000 }),
    }),
  );

  it("solves and prices forced items exactly", () => {
    fc.assert(
      fc.property(large, (k) => {
        const items = k.profit.length;
        const profit = Float64Array.from(k.profit);
        const weight = Int32Array.from(k.weight);
        const taken = new Uint8Array(items);
        expect(solver.solve(profit, weight, items, k.capacity, taken)).to.be.closeTo(enumerate(k), 1e-9);
        expect(solver.exact).to.equal(true);
        const inValue = new Float64Array(items);
        const outValue = new Float64Array(items);
        expect(solver.forcedValues(profit, weight, items, k.capacity, inValue, outValue)).to.be.closeTo(
          enumerate(k),
          1e-9,
        );
        for (let i = 0; i < items; i++) {
          expect(inValue[i]).to.be.closeTo(enumerate(k, { item: i, in: true }), 1e-9);
          expect(outValue[i]).to.be.closeTo(enumerate(k, { item: i, in: false }), 1e-9);
        }
        // Items not offered are priced with an upper bound here: never below the optimum.
        expect(solver.bestWithin(k.capacity >> 1)).to.be.at.least(
          enumerate({ ...k, capacity: k.capacity >> 1 }) - 1e-9,
        );
      }),
      { seed: 9, numRuns: 300 },
    );
  });
});

describe("GAP knapsack search out of nodes", () => {
  it("reports an upper bound and a feasible selection, flagged inexact", () => {
    fc.assert(
      fc.property(knapsack, (k) => {
        const items = k.profit.length;
        const profit = Float64Array.from(k.profit);
        const weight = Int32Array.from(k.weight);
        const taken = new Uint8Array(items);
        const result = searchKnapsack(profit, weight, densityOrder(profit, weight, items), k.capacity, taken, 2);
        const optimum = enumerate(k);
        if (result.exact) expect(result.value).to.be.closeTo(optimum, 1e-9);
        else expect(result.value).to.be.at.least(optimum - 1e-9);
        let load = 0;
        taken.forEach((x, i) => (load += x * k.weight[i]));
        expect(load).to.be.at.most(k.capacity);
      }),
      { seed: 10, numRuns: 300 },
    );
  });
});
