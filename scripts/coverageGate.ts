/**
 * The coverage gate: reads what `hardhat coverage` wrote (coverage/coverage-summary.json for the totals,
 * coverage.json for the hits of every line and branch), prints the four figures and fails below the
 * thresholds, naming each uncovered line and branch as file:line so the gap can be closed.
 *
 *   npm run coverage:gate                              runs the coverage subset, then this check
 *   npx ts-node --transpile-only scripts/coverageGate.ts   checks the last coverage run only
 *
 * Thresholds: 100% of lines and 95% of branches of contracts/ (contracts/test/ is excluded in .solcover.js).
 */
import fs from "node:fs";
import path from "node:path";

export const MIN_LINES_PCT = 100;
export const MIN_BRANCHES_PCT = 95;

interface Totals {
  total: number;
  covered: number;
  pct: number;
}
type Metric = "lines" | "branches" | "functions" | "statements";
type Summary = Record<string, Record<Metric, Totals>>;

interface Location {
  start: { line: number; column?: number };
}
/** One file of istanbul's coverage map, as solidity-coverage writes it. */
interface FileCoverage {
  path: string;
  l: Record<string, number>;
  b: Record<string, number[]>;
  branchMap: Record<string, { line: number; type: string; locations: Location[] }>;
}

export interface GateResult {
  figures: Record<Metric, number>;
  uncoveredLines: string[];
  uncoveredBranches: string[];
  failures: string[];
}

export function evaluate(summary: Summary, files: Record<string, FileCoverage>, root: string): GateResult {
  const total = summary.total;
  const figures = {
    lines: total.lines.pct,
    branches: total.branches.pct,
    functions: total.functions.pct,
    statements: total.statements.pct,
  };
  const uncoveredLines: string[] = [];
  const uncoveredBranches: string[] = [];
  for (const file of Object.values(files).sort((a, b) => a.path.localeCompare(b.path))) {
    const name = path.relative(root, file.path);
    for (const [line, hits] of Object.entries(file.l)) {
      if (hits === 0) uncoveredLines.push(`${name}:${line}`);
    }
    for (const [id, hits] of Object.entries(file.b)) {
      const branch = file.branchMap[id];
      hits.forEach((h, arm) => {
        if (h > 0) return;
        const start = branch.locations[arm]?.start ?? { line: branch.line };
        // an `if` has two arms (condition true, false); a `cond-expr` is one operand of || or && (or a ternary's side)
        const what =
          branch.type === "if"
            ? `condition never ${arm === 0 ? "true" : "false"}`
            : `operand ${arm + 1} of the condition at column ${(start.column ?? 0) + 1} never decided it`;
        uncoveredBranches.push(`${name}:${start.line} (${what})`);
      });
    }
  }
  const failures: string[] = [];
  if (figures.lines < MIN_LINES_PCT) failures.push(`lines ${figures.lines}% < ${MIN_LINES_PCT}%`);
  if (figures.branches < MIN_BRANCHES_PCT) failures.push(`branches ${figures.branches}% < ${MIN_BRANCHES_PCT}%`);
  return { figures, uncoveredLines, uncoveredBranches, failures };
}

function readJson<T>(file: string): T {
  if (!fs.existsSync(file)) {
    throw new Error(`${file} not found: run \`npx hardhat coverage\` first (npm run coverage:gate does both).`);
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

function main(): void {
  const root = path.join(__dirname, "..");
  const summary = readJson<Summary>(path.join(root, "coverage", "coverage-summary.json"));
  const files = readJson<Record<string, FileCoverage>>(path.join(root, "coverage.json"));
  const r = evaluate(summary, files, root);
  const f = r.figures;
  console.log(`coverage: lines ${f.lines}%, branches ${f.branches}%, functions ${f.functions}%, statements ${f.statements}%`);
  if (r.uncoveredLines.length > 0) console.log(`uncovered lines:\n  ${r.uncoveredLines.join("\n  ")}`);
  if (r.uncoveredBranches.length > 0) console.log(`uncovered branches:\n  ${r.uncoveredBranches.join("\n  ")}`);
  if (r.failures.length > 0) {
    console.error(`coverage gate failed: ${r.failures.join("; ")}`);
    process.exitCode = 1;
  } else {
    console.log(`coverage gate passed (at least ${MIN_LINES_PCT}% of lines and ${MIN_BRANCHES_PCT}% of branches)`);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
