import { expect } from "chai";
import {
  checkAssignment,
  gridAgentIndex,
  solveGap,
  solveGapBruteForce,
  withGridFallback,
  type GapInstance,
} from "../../../src/core/gap";

describe("GAP grid fallback", () => {
  // Request 2 needs 9 units; neither provider has that much room, so without the grid the
  // instance is infeasible.
  const market: GapInstance = {
    agents: 2,
    jobs: 4,
    value: [
      [5, 3, 8, 4],
      [6, 2, 7, 1],
    ],
    resource: [
      [2, 2, 9, 3],
      [2, 3, 9, 1],
    ],
    capacity: [5, 4],
    objective: "max",
    forbidden: [[0, 3]],
  };

  it("is needed: without it the instance is infeasible", () => {
    expect(solveGap(market).status).to.equal("infeasible");
  });

  it("sends what no provider can take to the grid and matches the brute force", () => {
    const result = solveGap(market, { gridFallback: true });
    const expected = solveGapBruteForce(withGridFallback(market));
    expect(result.status).to.equal("optimal");
    expect(result.objective).to.equal(expected.objective);
    expect(result.assignment?.[2]).to.equal(gridAgentIndex(market));
    expect(checkAssignment(withGridFallback(market), result.assignment ?? []).objective).to.equal(result.objective);
  });

  it("lets the grid take a request a provider could serve when the capacity pays more elsewhere", () => {
    const oneProvider: GapInstance = {
      agents: 1,
      jobs: 2,
      value: [[10, 1]],
      resource: [[5, 1]],
      capacity: [5],
      objective: "max",
    };
    const result = solveGap(oneProvider, { gridFallback: true });
    expect(result.objective).to.equal(10);
    expect(result.assignment).to.deep.equal([0, gridAgentIndex(oneProvider)]);
  });

  it("prices the grid per request when minimising", () => {
    const costs: GapInstance = { ...market, objective: "min" };
    const gridCost = [50, 50, 50, 50];
    const result = solveGap(withGridFallback(costs, gridCost));
    const expected = solveGapBruteForce(withGridFallback(costs, gridCost));
    expect(result.status).to.equal("optimal");
    expect(result.objective).to.equal(expected.objective);
    // Only the request nobody can serve pays the grid price.
    expect(result.assignment?.filter((agent) => agent === gridAgentIndex(costs))).to.have.length(1);
  });

  it("rejects a grid price list of the wrong length", () => {
    expect(() => withGridFallback(market, [1, 2])).to.throw(RangeError, /expected 4 grid values/);
  });
});
