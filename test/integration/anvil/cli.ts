import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import hre from "hardhat";
import { ANVIL_CHAIN_ID } from "./node";

/**
 * Tasks as a user runs them: `hardhat <task> ... --network anvil`, each its own process, finding the contracts
 * through the deployment record. A test may wait for one, or kill it while it runs.
 */
const HARDHAT_CLI = require.resolve("hardhat/internal/cli/bootstrap.js");

/** The deployment record Ignition writes for the tests' anvil chain; no test leaves it behind. */
export const ANVIL_RECORD = path.join(hre.config.paths.ignition, "deployments", `chain-${ANVIL_CHAIN_ID}`);

/** Removes the record, and the deployments folder too when nothing else is in it. */
export function removeAnvilRecord(): void {
  fs.rmSync(ANVIL_RECORD, { recursive: true, force: true });
  const records = path.dirname(ANVIL_RECORD);
  if (fs.existsSync(records) && fs.readdirSync(records).length === 0) fs.rmdirSync(records);
}

export interface TaskRun {
  readonly command: string;
  /** null when the process was killed by a signal. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export interface RunningTask {
  readonly command: string;
  readonly process: ChildProcess;
  readonly done: Promise<TaskRun>;
  running(): boolean;
}

/** Starts `hardhat <args> --network anvil` against the anvil at `url`; `runs` collects every finished run. */
export function startHardhat(url: string, args: readonly string[], runs?: TaskRun[], timeoutMs = 120_000): RunningTask {
  const command = `hardhat ${args.join(" ")} --network anvil`;
  const started = performance.now();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ANVIL_RPC_URL: url,
    ANVIL_CHAIN_ID: String(ANVIL_CHAIN_ID),
    HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true", // ignition asks before deploying to a chain other than 31337
  };
  delete env.HARDHAT_NETWORK;
  const child = spawn(process.execPath, [HARDHAT_CLI, ...args, "--network", "anvil"], {
    cwd: hre.config.paths.root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const done = new Promise<TaskRun>((resolve) => {
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const run = { command, code, signal, stdout, stderr, seconds: (performance.now() - started) / 1000 };
      runs?.push(run);
      resolve(run);
    });
  });
  return { command, process: child, done, running: () => child.exitCode === null && child.signalCode === null };
}

/** Runs `hardhat <args> --network anvil` to its end; rejects with its output unless it exits with 0. */
export async function runHardhat(url: string, args: readonly string[], runs?: TaskRun[]): Promise<string> {
  const run = await startHardhat(url, args, runs).done;
  if (run.code !== 0) {
    throw new Error(`${run.command} failed (exit ${run.code ?? run.signal}):\n${run.stderr}${run.stdout}`);
  }
  return run.stdout;
}

/** One line for the test's log: how many processes and how long they took. */
export function summariseRuns(runs: readonly TaskRun[]): string {
  const total = runs.reduce((s, r) => s + r.seconds, 0);
  return `${runs.length} hardhat processes, ${total.toFixed(1)} s in all`;
}
