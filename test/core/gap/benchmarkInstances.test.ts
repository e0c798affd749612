import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { checkAssignment, parseGapInstance, solveGap } from "../../../src/core/gap";

/** The shared benchmark folder sits next to the repository; it is never copied into it. */
const BENCHMARK_DIR = path.resolve(__dirname, "..", "..", "..", "..", "shared", "benchmarks", "gap");
const INSTANCES = ["gap1-0", "gap1-1", "gap1-2", "gap1-3", "gap1-4"];

function publishedMaxOptima(): Map<string, number> {
  const [header, ...rows] = fs.readFileSync(path.join(BENCHMARK_DIR, "optima.csv"), "utf8").trim().split(/\r?\n/);
  const columns = header.split(",");
  const name = columns.indexOf("instance");
  const max = columns.indexOf("max_optimum");
  const optima = new Map<string, number>();
  for (const row of rows) {
    const cells = row.split(",");
    if (cells[max] !== "") optima.set(path.basename(cells[name]), Number(cells[max]));
  }
  return optima;
}

describe("GAP benchmark instances (OR-Library gap1, maximisation)", function () {
  before(function () {
    if (!fs.existsSync(BENCHMARK_DIR)) {
      console.log(`    skipped: benchmark folder ${BENCHMARK_DIR} is absent`);
      this.skip();
    }
  });

  for (const name of INSTANCES) {
    it(`proves the published optimum of ${name}`, () => {
      const text = fs.readFileSync(path.join(BENCHMARK_DIR, "cattrysse1994", name), "utf8");
      const instance = parseGapInstance(text, "max");
      const result = solveGap(instance);
      expect(result.status).to.equal("optimal");
      expect(result.objective).to.equal(publishedMaxOptima().get(name));
      expect(result.bound).to.equal(result.objective);
      expect(checkAssignment(instance, result.assignment ?? []).objective).to.equal(result.objective);
    });
  }
});
