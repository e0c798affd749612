import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";

/**
 * anvil (from the npm package @foundry-rs/anvil-linux-amd64) for the integration tests: started on a free
 * loopback port, optionally with a state file that survives a kill -9, and driven over JSON-RPC. Only 127.0.0.1
 * is ever contacted.
 */

/** Not the `anvil` network's default 31338, so the tests' deployment record never touches a developer's. */
export const ANVIL_CHAIN_ID = 31339;

/** The anvil binary of this platform's npm package, or undefined (the package exists for linux x64 here). */
export function anvilBinary(): string | undefined {
  if (process.platform !== "linux" || process.arch !== "x64") return undefined;
  try {
    const dir = path.dirname(require.resolve("@foundry-rs/anvil-linux-amd64/package.json"));
    const bin = path.join(dir, "bin", "anvil");
    return fs.existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/** A loopback port nobody listens on: bind port 0, read what the kernel gave, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

export async function waitForRpc(url: string, node: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (node.exitCode !== null) throw new Error(`anvil exited with code ${node.exitCode} before it answered`);
    try {
      await rpc(url, "eth_chainId");
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`anvil did not answer on ${url} within ${timeoutMs} ms: ${error}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface AnvilNode {
  readonly url: string;
  readonly process: ChildProcess;
}

export interface AnvilOptions {
  /** Loaded when it exists, and dumped every second (`--state FILE --state-interval 1`). */
  readonly stateFile?: string;
  readonly accounts?: number;
}

/**
 * Starts anvil on a free loopback port. Restarted from a state file, anvil restores the blocks but not the
 * offset that evm_increaseTime added to its clock, so its next block would be stamped earlier than the last
 * one; a chain's time never goes back, so then the next block is set to follow the last.
 */
export async function startAnvil(bin: string, { stateFile, accounts = 20 }: AnvilOptions = {}): Promise<AnvilNode> {
  const restoring = stateFile !== undefined && fs.existsSync(stateFile);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(ANVIL_CHAIN_ID)];
  args.push("--accounts", String(accounts), "--silent");
  if (stateFile) args.push("--state", stateFile, "--state-interval", "1");
  const child = spawn(bin, args, { stdio: "ignore" });
  try {
    await waitForRpc(url, child, 15_000);
    if (restoring) {
      const last = Number((await rpc<{ timestamp: string }>(url, "eth_getBlockByNumber", ["latest", false])).timestamp);
      // anvil's clock is this machine's: only a chain moved ahead of it by evm_increaseTime needs the help
      if (last >= Math.floor(Date.now() / 1000)) await rpc(url, "evm_setNextBlockTimestamp", [last + 1]);
    }
  } catch (error) {
    await killProcess(child);
    throw error;
  }
  return { url, process: child };
}

/** SIGKILL, the way a crash ends a process: nothing is flushed. Resolves once the process has exited. */
export async function killProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
}

export async function blockNumber(url: string): Promise<number> {
  return Number(await rpc<string>(url, "eth_blockNumber"));
}

/** Moves the node's clock forward and mines a block stamped with the new time. */
export async function increaseTime(url: string, seconds: number): Promise<void> {
  await rpc(url, "evm_increaseTime", [seconds]);
  await rpc(url, "evm_mine");
}

export async function nonceOf(url: string, account: string): Promise<number> {
  return Number(await rpc<string>(url, "eth_getTransactionCount", [account, "latest"]));
}
