import { expect } from "chai";
import fc from "fast-check";
import { checkAssignment, solveGap, solveGapBruteForce } from "../../../src/core/gap";
import { tinyInstance } from "./arbitraries";

/** Fixed so every run checks the same instances; fast-check prints it with any counterexample. */
const SEED = 20240611;

describe("GAP branch-and-bound against brute force", () => {
  it("agrees on 500 tiny random instances, max and min, feasible or not", () => {
    let infeasible = 0;
    fc.assert(
      fc.property(tinyInstance(), (instance) => {
        const expected = solveGapBruteForce(instance);
        const actual = solveGap(instance);
        if (expected.status === "infeasible") infeasible++;
        expect(actual.status).to.equal(expected.status);
        expect(actual.objective).to.equal(expected.objective);
        expect(actual.bound).to.equal(expected.bound);
        if (actual.assignment !== null) {
          const check = checkAssignment(instance, actual.assignment);
          expect(check.reason).to.equal(null);
          expect(check.objective).to.equal(actual.objective);
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
    // The generator is meant to exercise the infeasibility proof as well.
    expect(infeasible).to.be.greaterThan(20);
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(tinyInstance(), (instance) => {
        expect(solveGap(instance)).to.deep.equal(solveGap(instance));
      }),
      { seed: SEED + 1, numRuns: 50 },
    );
  });
});

describe("GAP branch-and-bound with capacities too large for exact knapsack tables", () => {
  it("stays exact when the knapsacks are searched instead of tabulated (200 tiny instances)", () => {
    // Scaling by a large odd factor plus an uneven remainder defeats the common-divisor
    // reduction, so the knapsack tables would need millions of cells.
    const scale = 100_003;
    const huge = tinyInstance().map((instance) => ({
      ...instance,
      resource: instance.resource.map((row, i) => row.map((r, j) => r * scale + ((i * 7 + j * 13) % 97))),
      capacity: instance.capacity.map((c) => c * scale + 50),
    }));
    fc.assert(
      fc.property(huge, (instance) => {
        const expected = solveGapBruteForce(instance);
        const actual = solveGap(instance);
        expect(actual.status).to.equal(expected.status);
        expect(actual.objective).to.equal(expected.objective);
      }),
      { seed: SEED + 2, numRuns: 200 },
    );
  });
});
