import type { BaseContract, ContractTransactionReceipt, Log } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { UserError } from "../cli/errors";
import { isInsufficientFunds, revertDecoder } from "./errors";

export interface TxPlan {
  readonly to: string;
  readonly from: string;
  readonly method: string;
  readonly args: readonly unknown[];
}

export interface EmittedEvent {
  readonly name: string;
  readonly args: Readonly<Record<string, unknown>>;
}

export interface TxOutcome {
  readonly hash: string;
  readonly blockNumber: number;
  readonly gasUsed: bigint;
  readonly events: readonly EmittedEvent[];
}

export interface SendResult {
  readonly plan: TxPlan;
  /** Absent on a dry run: nothing was sent. */
  readonly outcome?: TxOutcome;
}

/**
 * The one way tasks send a transaction: simulate it first (a revert is decoded by name and nothing
 * is sent), then, unless this is a dry run, send it and wait for its receipt.
 */
export async function simulateAndSend(
  hre: HardhatRuntimeEnvironment,
  contract: BaseContract,
  method: string,
  args: readonly unknown[],
  { label, dryRun = false }: { label: string; dryRun?: boolean },
): Promise<SendResult> {
  const fn = contract.getFunction(method);
  const runner = contract.runner as { getAddress?: () => Promise<string> } | null;
  const from = runner?.getAddress ? await runner.getAddress() : "";
  const plan: TxPlan = { to: await contract.getAddress(), from, method, args };
  const decoder = await revertDecoder(hre);
  try {
    await fn.staticCall(...args);
  } catch (error) {
    throw new UserError(`${label} would fail: ${decoder.describe(error)}. Nothing was sent.`);
  }
  if (dryRun) return { plan };

  let receipt: ContractTransactionReceipt | null;
  try {
    const tx = await fn.send(...args);
    receipt = await tx.wait();
  } catch (error) {
    if (isInsufficientFunds(error)) {
      const cause = decoder.describe(error).replace(/\.$/, "");
      throw new UserError(
        `${label} failed: ${from} has not enough ether to pay for gas (${cause}). Nothing was sent.`,
      );
    }
    throw new UserError(`${label} failed: ${decoder.describe(error)}`);
  }
  if (!receipt) throw new UserError(`${label}: the node returned no receipt`);
  return {
    plan,
    outcome: {
      hash: receipt.hash,
      blockNumber: receipt.blockNumber,
      gasUsed: receipt.gasUsed,
      events: parseEvents(contract, receipt.logs),
    },
  };
}

export function parseEvents(contract: BaseContract, logs: readonly Log[]): EmittedEvent[] {
  const events: EmittedEvent[] = [];
  for (const log of logs) {
    const parsed = (() => {
      try {
        return contract.interface.parseLog(log);
      } catch {
        return null;
      }
    })();
    if (!parsed) continue;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => {
      args[input.name || `arg${i}`] = parsed.args[i];
    });
    events.push({ name: parsed.name, args });
  }
  return events;
}
