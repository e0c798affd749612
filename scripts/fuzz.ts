/**
 * Runs the system fuzz (test/property/system.fuzz.test.ts) with a seed and a number of sequences of your
 * choice, through the same `hardhat test` as CI:
 *
 *   npm run fuzz -- --seed 42 --runs 5000
 *   npm run fuzz -- --seed 20251208 --runs 1000 --path "17:3:1"   replays a failure fast-check reported
 *   npm run fuzz -- --seed 7 --no-shrink                           stops at the first failure, unshrunk
 *
 * Without --seed a fresh one is drawn (and printed); --runs defaults to 1000. The seed is printed before the
 * run and again on failure, with what to type to replay it.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

interface FuzzArgs {
  seed: number;
  runs: number;
  path?: string;
  shrink: boolean;
}

const USAGE = "usage: npm run fuzz -- [--seed <integer>] [--runs <count>] [--path <fast-check path>] [--no-shrink]";

function parse(argv: readonly string[]): FuzzArgs {
  const args: FuzzArgs = { seed: Math.floor(Math.random() * 2 ** 31), runs: 1000, shrink: true };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    const integer = (name: string, min: number) => {
      if (value === undefined || !/^-?\d+$/.test(value) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
        fail(`${name} needs an integer of at least ${min}, got ${value === undefined ? "nothing" : `"${value}"`}`);
      }
      i++;
      return Number(value);
    };
    if (flag === "--seed") args.seed = integer("--seed", -(2 ** 31));
    else if (flag === "--runs") args.runs = integer("--runs", 1);
    else if (flag === "--path") {
      if (!value || !/^\d+(:\d+)*$/.test(value)) fail(`--path needs fast-check's path, like 17:3:1, got "${value ?? ""}"`);
      args.path = value;
      i++;
    } else if (flag === "--no-shrink") args.shrink = false;
    else if (flag === "--help" || flag === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument "${flag}"`);
  }
  return args;
}

function fail(message: string): never {
  console.error(`fuzz: ${message}\n${USAGE}`);
  process.exit(2);
}

const args = parse(process.argv.slice(2));
console.log(`fuzz: seed ${args.seed}, ${args.runs} sequences${args.path ? `, path ${args.path}` : ""}`);
const root = path.resolve(__dirname, "..");
const run = spawnSync("npx", ["hardhat", "test", "test/property/system.fuzz.test.ts"], {
  cwd: root,
  stdio: "inherit",
  env: {
    ...process.env,
    FUZZ_SEED: String(args.seed),
    FUZZ_RUNS: String(args.runs),
    FUZZ_PATH: args.path ?? "",
    FUZZ_SHRINK: args.shrink ? "1" : "0",
  },
});
if (run.status !== 0) {
  console.error(`fuzz: FAILED with seed ${args.seed}; replay: npm run fuzz -- --seed ${args.seed} --runs ${args.runs}` +
    " --path <the path fast-check printed above>");
}
process.exit(run.status ?? 1);
