import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { captureStdout } from "./capture";

/** A participant of an integration test: its trading account index and its meter device index. */
export interface Member {
  readonly name: string;
  readonly account: number;
  readonly meter: number;
  readonly source?: string;
  readonly region?: number;
}

/** Runs a task as the command line would and returns what it printed. */
export function runTask(
  hre: HardhatRuntimeEnvironment,
  task: string,
  args: Record<string, unknown> = {},
): Promise<string> {
  return captureStdout(() => hre.run(task, args));
}

export async function runTaskJson<T>(
  hre: HardhatRuntimeEnvironment,
  task: string,
  args: Record<string, unknown> = {},
): Promise<T> {
  return JSON.parse(await runTask(hre, task, { ...args, json: true })) as T;
}

/**
 * Registers, approves and funds members through the tasks, the way an operator onboards a
 * neighbourhood: each member signs its own registration; account 0 reviews and mints test tokens.
 */
export async function onboard(
  hre: HardhatRuntimeEnvironment,
  members: readonly Member[],
  depositEach = "100",
): Promise<void> {
  for (const m of members) {
    await runTask(hre, "registry:register", {
      from: String(m.account),
      name: m.name,
      meterId: `MTR-${m.name}`,
      device: String(m.meter),
      region: String(m.region ?? 1),
      voltage: "low",
      source: m.source ?? "solar",
      capacityW: "20000",
      batteryWh: "50000",
    });
    await runTask(hre, "registry:approve", { account: String(m.account) });
    await runTask(hre, "token:mint", { to: String(m.account), amount: depositEach });
    await runTask(hre, "escrow:deposit", { from: String(m.account), amount: depositEach });
  }
}
