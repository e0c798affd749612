import fs from "node:fs";
import { rpc } from "./node";

/**
 * anvil's state file (`--state FILE --state-interval 1`) and manual block production, for crash tests: what a
 * restart would load, a copy of an earlier dump to restart from, and mining one transaction at a time so that a
 * test can kill a process at a chosen point between transactions.
 */

/** The newest block the state file holds, or null when it is missing or being written. */
export function stateFileBlock(file: string): number | null {
  try {
    const state = JSON.parse(fs.readFileSync(file, "utf8")) as { best_block_number?: number | string };
    return state.best_block_number === undefined ? null : Number(state.best_block_number);
  } catch {
    return null;
  }
}

/** Waits until anvil's periodic dump has written block `block` (or later). */
export async function waitForStateFile(file: string, block: number, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const written = stateFileBlock(file);
    if (written !== null && written >= block) return written;
    if (Date.now() > deadline) throw new Error(`${file} did not reach block ${block} in ${timeoutMs} ms (${written})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A copy of the state file once it holds `block`: restarting from it later is what a node does that lost
 * every block after its last dump (the 1 s interval loses up to a second; a copy makes the loss certain).
 */
export async function copyStateFile(file: string, block: number, copy: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    await waitForStateFile(file, block);
    fs.copyFileSync(file, copy);
    const copied = stateFileBlock(copy);
    if (copied !== null && copied >= block) return copied;
    if (attempt >= 20) throw new Error(`could not copy a complete ${file}`);
  }
}

export async function setAutomine(url: string, on: boolean): Promise<void> {
  await rpc(url, "evm_setAutomine", [on]);
}

async function pendingCount(url: string): Promise<number> {
  const status = await rpc<{ pending: string }>(url, "txpool_status");
  return Number(status.pending);
}

/**
 * With automine off: mines one block whenever a transaction is pending, until `count` transactions are mined,
 * and returns right after the last one, before the sender can have seen its receipt. Stops early when
 * `running()` turns false (the sender exited).
 */
export async function mineTransactions(
  url: string,
  count: number,
  running: () => boolean,
  timeoutMs = 60_000,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let mined = 0;
  while (mined < count && running()) {
    if (Date.now() > deadline) throw new Error(`only ${mined} of ${count} transactions came in ${timeoutMs} ms`);
    const pending = await pendingCount(url);
    if (pending === 0) {
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    await rpc(url, "evm_mine");
    mined += pending;
  }
  return mined;
}

/** Automine back on, and whatever a killed sender left in the pool mined, as a live node would. */
export async function resumeMining(url: string): Promise<number> {
  await setAutomine(url, true);
  const pending = await pendingCount(url);
  if (pending > 0) await rpc(url, "evm_mine");
  return pending;
}
