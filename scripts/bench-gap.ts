/**
 * Benchmark of the GAP branch-and-bound on the public instances in ../shared/benchmarks/gap,
 * optionally against HiGHS (MILP, WebAssembly) on the same instance in the same run.
 *
 *   npx ts-node scripts/bench-gap.ts [--instances gap1-0,e05100,...] [--time-limit 30] [--highs]
 *                                    [--out bench/gap.json]
 *
 * Cattrysse instances (gapN-k) are maximised, the others minimised, as in the literature.
 * Timing lives here only: the solver gets the clock as an injected function.
 */
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { checkAssignment, parseGapInstance, solveGap, toLpFormat, type GapResult } from "../src/core/gap";

const BENCHMARK_DIR = path.resolve(__dirname, "..", "..", "shared", "benchmarks", "gap");
const FAMILIES = ["cattrysse1994", "chu1997", "yagiura2004"];
/** Goal for the small Cattrysse instances: proven optimal well under a second. */
const CATTRYSSE_GOAL_MS = 1000;

const DEFAULT_INSTANCES = [
  ...Array.from({ length: 12 }, (_, g) => Array.from({ length: 5 }, (_, k) => `gap${g + 1}-${k}`)).flat(),
  ...["a", "b", "c", "e"].flatMap((type) => ["05100", "10100", "20100"].map((size) => `${type}${size}`)),
  "d05100",
];

interface Args {
  instances: string[];
  timeLimitSeconds: number;
  highs: boolean;
  out: string | null;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { instances: DEFAULT_INSTANCES, timeLimitSeconds: 30, highs: false, out: null };
  for (let k = 0; k < argv.length; k++) {
    const flag = argv[k];
    const value = (): string => {
      const v = argv[++k];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--instances")
      args.instances = value()
        .split(",")
        .filter((s) => s.length > 0);
    else if (flag === "--time-limit") args.timeLimitSeconds = Number(value());
    else if (flag === "--highs") args.highs = true;
    else if (flag === "--out") args.out = value();
    else throw new Error(`unknown argument ${flag}`);
  }
  if (!(args.timeLimitSeconds > 0)) throw new Error("--time-limit must be a positive number of seconds");
  return args;
}

interface KnownOptimum {
  min: number | null;
  max: number | null;
}

function readOptima(): Map<string, KnownOptimum> {
  const lines = fs.readFileSync(path.join(BENCHMARK_DIR, "optima.csv"), "utf8").trim().split(/\r?\n/);
  const header = lines[0].split(",");
  const column = (name: string): number => header.indexOf(name);
  const optima = new Map<string, KnownOptimum>();
  const numberOrNull = (s: string | undefined): number | null => (s === undefined || s === "" ? null : Number(s));
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    const name = path.basename(cells[column("instance")]);
    optima.set(name, {
      min: numberOrNull(cells[column("min_optimum")]),
      max: numberOrNull(cells[column("max_optimum")]),
    });
  }
  return optima;
}

function findInstanceFile(name: string): string {
  for (const family of FAMILIES) {
    const file = path.join(BENCHMARK_DIR, family, name);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`instance ${name} not found under ${BENCHMARK_DIR}`);
}

interface HighsSolver {
  solve(problem: string, options: Record<string, unknown>): { Status: string; ObjectiveValue: number };
}

interface Run {
  instance: string;
  objective: "max" | "min";
  status: GapResult["status"];
  value: number | null;
  bound: number;
  known: number | null;
  ms: number;
  nodes: number;
  highsStatus: string | null;
  highsValue: number | null;
  highsMs: number | null;
  correct: boolean;
}

/**
 * The first solves of a process run unoptimised JavaScript; one throw-away solve of a small
 * synthetic instance lets the JIT compile the hot loops before anything is timed.
 */
function warmUp(): void {
  const agents = 5;
  const jobs = 40;
  const resource = Array.from({ length: agents }, (_, i) =>
    Array.from({ length: jobs }, (_, j) => 5 + ((i * 7 + j * 13) % 21)),
  );
  const value = resource.map((row, i) => row.map((r, j) => 60 - 2 * r + ((i * 5 + j * 3) % 11)));
  const capacity = resource.map((row) => Math.floor((0.8 * row.reduce((a, b) => a + b, 0)) / agents));
  solveGap({ agents, jobs, value, resource, capacity, objective: "min" }, { nodeLimit: 200 });
}

function formatTable(runs: readonly Run[]): string {
  const header = [
    "instance",
    "sense",
    "status",
    "objective",
    "bound",
    "known opt",
    "ms",
    "nodes",
    "highs",
    "highs ms",
    "highs/bnb",
  ];
  const rows = runs.map((r) => [
    r.instance,
    r.objective,
    r.correct ? r.status : `${r.status} (WRONG)`,
    String(r.value ?? "-"),
    String(r.bound),
    String(r.known ?? "-"),
    r.ms.toFixed(1),
    String(r.nodes),
    r.highsStatus ?? "-",
    r.highsMs === null ? "-" : r.highsMs.toFixed(0),
    r.highsMs === null ? "-" : (r.highsMs / Math.max(r.ms, 0.01)).toFixed(1) + "x",
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => cell.padStart(widths[c])).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(BENCHMARK_DIR)) throw new Error(`benchmark folder ${BENCHMARK_DIR} is missing`);
  const optima = readOptima();
  warmUp();
  const runs: Run[] = [];
  for (const name of args.instances) {
    const objective = name.startsWith("gap") ? "max" : "min";
    const instance = parseGapInstance(fs.readFileSync(findInstanceFile(name), "utf8"), objective);
    const known = optima.get(name)?.[objective] ?? null;
    const start = performance.now();
    const result = solveGap(instance, { timeLimitMs: args.timeLimitSeconds * 1000, now: () => performance.now() });
    const ms = performance.now() - start;
    const check = result.assignment === null ? null : checkAssignment(instance, result.assignment);
    const consistent = check === null || (check.feasible && check.objective === result.objective);
    const matchesKnown = result.status !== "optimal" || known === null || result.objective === known;
    const run: Run = {
      instance: name,
      objective,
      status: result.status,
      value: result.objective,
      bound: result.bound,
      known,
      ms,
      nodes: result.nodes,
      highsStatus: null,
      highsValue: null,
      highsMs: null,
      correct: consistent && matchesKnown,
    };
    runs.push(run);
    console.log(
      `${name}: ${run.status} ${run.value} (known ${known}) bound ${run.bound} in ${ms.toFixed(1)} ms, ${
        run.nodes
      } nodes`,
    );
  }
  // HiGHS runs after every branch-and-bound run: its WebAssembly keeps compiling in background
  // threads for a while, which would otherwise slow down the next branch-and-bound measurement.
  if (args.highs) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const highs = await (require("highs") as () => Promise<HighsSolver>)();
    for (const run of runs) {
      const instance = parseGapInstance(fs.readFileSync(findInstanceFile(run.instance), "utf8"), run.objective);
      const lp = toLpFormat(instance);
      const start = performance.now();
      const solution = highs.solve(lp, { output_flag: false, time_limit: args.timeLimitSeconds });
      run.highsMs = performance.now() - start;
      run.highsStatus = solution.Status;
      run.highsValue = solution.ObjectiveValue;
      console.log(`${run.instance}: HiGHS ${run.highsStatus} ${run.highsValue} in ${run.highsMs.toFixed(0)} ms`);
    }
  }
  console.log("\n" + formatTable(runs));

  if (args.out !== null) {
    const metrics = runs.flatMap((r) => {
      const bnb = {
        name: `bnb.${r.instance}.ms`,
        value: Number(r.ms.toFixed(2)),
        unit: "ms",
        reference: r.highsMs === null ? null : Number(r.highsMs.toFixed(2)),
        goal: r.instance.startsWith("gap") ? CATTRYSSE_GOAL_MS : null,
      };
      if (r.highsMs === null) return [bnb];
      return [
        bnb,
        {
          name: `highs.${r.instance}.ms`,
          value: Number(r.highsMs.toFixed(2)),
          unit: "ms",
          reference: null,
          goal: null,
        },
      ];
    });
    const out = path.resolve(process.cwd(), args.out);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify({ metrics, runs }, null, 2) + "\n");
    console.log(`\nwrote ${out}`);
  }
  if (runs.some((r) => !r.correct)) {
    console.error("some results disagree with the known optimum or fail the assignment check");
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
