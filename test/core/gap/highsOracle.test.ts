import { expect } from "chai";
import { checkAssignment, solveGap, toLpFormat, type GapInstance } from "../../../src/core/gap";
import { randomInstance } from "./arbitraries";

interface HighsSolver {
  solve(problem: string, options: Record<string, unknown>): { Status: string; ObjectiveValue: number };
}

/** Larger than the brute force can take, small enough for HiGHS to prove in a fraction of a second. */
const CASES: readonly { readonly name: string; readonly instance: GapInstance }[] = [
  { name: "5x20 max", instance: randomInstance(11, 5, 20, "max") },
  { name: "5x15 min correlated", instance: randomInstance(17, 5, 15, "min", 0.8, true) },
  { name: "6x25 min", instance: randomInstance(13, 6, 25, "min", 0.7) },
  { name: "6x25 max correlated", instance: randomInstance(14, 6, 25, "max", 0.8, true) },
  { name: "8x24 max correlated", instance: randomInstance(19, 8, 24, "max", 0.8, true) },
  { name: "8x30 max tight", instance: randomInstance(16, 8, 30, "max", 0.6) },
];

describe("GAP branch-and-bound against HiGHS", function () {
  this.timeout(20_000);
  let highs: HighsSolver;

  before(async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    highs = await (require("highs") as () => Promise<HighsSolver>)();
  });

  for (const { name, instance } of CASES) {
    it(`proves the same optimum on ${name}`, () => {
      const oracle = highs.solve(toLpFormat(instance), { output_flag: false, mip_rel_gap: 0 });
      const result = solveGap(instance);
      if (oracle.Status === "Infeasible") {
        expect(result.status).to.equal("infeasible");
        return;
      }
      expect(oracle.Status).to.equal("Optimal");
      expect(result.status).to.equal("optimal");
      expect(result.objective).to.equal(Math.round(oracle.ObjectiveValue));
      expect(result.bound).to.equal(result.objective);
      const check = checkAssignment(instance, result.assignment ?? []);
      expect(check.reason).to.equal(null);
      expect(check.objective).to.equal(result.objective);
    });
  }
});
