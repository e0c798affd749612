/**
 * The GAP branch-and-bound timings: runs scripts/bench-gap.ts in a child process (its default
 * instance list, a fixed 30 s limit per instance, HiGHS only with --highs) and reads the metrics it
 * writes. A child process keeps its timings away from this process's chain state and garbage.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const GAP_TIME_LIMIT_SECONDS = 30;

export interface GapMetric {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly reference: number | null;
  readonly goal: number | null;
}

export interface GapRunSummary {
  readonly instance: string;
  readonly status: string;
  readonly correct: boolean;
  /** HiGHS's status (with --highs), e.g. "Optimal" or "Time limit reached". */
  readonly highsStatus: string | null;
}

export interface GapBench {
  readonly metrics: readonly GapMetric[];
  readonly runs: readonly GapRunSummary[];
  readonly exitCode: number | null;
}

export function runGapBench(root: string, out: string, highs: boolean): GapBench {
  const args = [
    "-r",
    "ts-node/register/transpile-only",
    path.join(root, "scripts", "bench-gap.ts"),
    "--time-limit",
    String(GAP_TIME_LIMIT_SECONDS),
    "--out",
    out,
    ...(highs ? ["--highs"] : []),
  ];
  if (fs.existsSync(out)) fs.rmSync(out);
  // The child's own table is not shown: its timings are in the benchmark's table.
  const child = spawnSync(process.execPath, args, { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  if (!fs.existsSync(out)) throw new Error(`scripts/bench-gap.ts wrote no ${out} (exit code ${child.status})`);
  const written = JSON.parse(fs.readFileSync(out, "utf8")) as { metrics: GapMetric[]; runs: GapRunSummary[] };
  return { metrics: written.metrics, runs: written.runs, exitCode: child.status };
}
