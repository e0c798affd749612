import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { expect } from "chai";
import hre from "hardhat";

/**
 * The market on a second EVM node, driven the way a user drives it: anvil (from the npm package
 * @foundry-rs/anvil-linux-amd64) on a free loopback port, `ignition deploy` writing the deployment record, then
 * one auction period and one matching cycle where every task is its own `hardhat <task> --network anvil`
 * process that finds the contracts through that record. Only 127.0.0.1 is ever contacted.
 *
 * The anvil runs with chain id 31339 (ANVIL_CHAIN_ID for the child processes), not the `anvil` network's
 * default 31338, so its record deploy/deployments/chain-31339/ never touches a developer's; it is removed
 * afterwards, and anvil is killed, whatever happened.
 */
const CHAIN_ID = 31339;
const ROOT = hre.config.paths.root;
const RECORD = path.join(hre.config.paths.ignition, "deployments", `chain-${CHAIN_ID}`);
const HARDHAT_CLI = require.resolve("hardhat/internal/cli/bootstrap.js");
const ONBOARD_SCRIPT = path.join("test", "integration", "anvil", "onboard.ts");
const DAY = 86_400;

/** The anvil binary of this platform's npm package, or undefined (the package exists for linux x64 here). */
function anvilBinary(): string | undefined {
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
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function rpc<T>(url: string, method: string, params: unknown[] = []): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

async function waitForRpc(url: string, node: ChildProcess, timeoutMs: number): Promise<void> {
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

interface Run {
  readonly command: string;
  readonly stdout: string;
  readonly seconds: number;
}

describe("a trading day on anvil, every task its own process", function () {
  this.timeout(240_000);
  let anvil: ChildProcess | undefined;
  let url: string;
  const runs: Run[] = [];

  /** `npx hardhat <args> --network anvil` as a separate process; rejects with its stderr if it fails. */
  function hardhat(args: readonly string[]): Promise<string> {
    const command = `hardhat ${args.join(" ")} --network anvil`;
    const started = performance.now();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ANVIL_RPC_URL: url,
      ANVIL_CHAIN_ID: String(CHAIN_ID),
      HARDHAT_IGNITION_CONFIRM_DEPLOYMENT: "true", // ignition asks before deploying to a chain other than 31337
    };
    delete env.HARDHAT_NETWORK;
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [HARDHAT_CLI, ...args, "--network", "anvil"],
        { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
        (error, stdout, stderr) => {
          runs.push({ command, stdout, seconds: (performance.now() - started) / 1000 });
          if (error) reject(new Error(`${command} failed (${error.message.split("\n")[0]}):\n${stderr}${stdout}`));
          else resolve(stdout);
        },
      );
    });
  }

  async function hardhatJson<T>(args: readonly string[]): Promise<T> {
    return JSON.parse(await hardhat([...args, "--json"])) as T;
  }

  /** Time travel on anvil itself (evm_increaseTime + evm_mine), from the test. */
  async function increaseTime(seconds: number): Promise<void> {
    await rpc(url, "evm_increaseTime", [seconds]);
    await rpc(url, "evm_mine");
  }

  before(async function () {
    const bin = anvilBinary();
    if (!bin) {
      console.log(
        `    skipped: no anvil binary for ${process.platform}-${process.arch} ` +
          `(the npm package @foundry-rs/anvil-linux-amd64 has linux x64 only)`,
      );
      this.skip();
    }
    fs.rmSync(RECORD, { recursive: true, force: true }); // a leftover of an interrupted run
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    anvil = spawn(
      bin,
      ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(CHAIN_ID), "--accounts", "20", "--silent"],
      { stdio: "ignore" },
    );
    await waitForRpc(url, anvil, 15_000);
  });

  after(async () => {
    if (anvil && anvil.exitCode === null) {
      const exited = new Promise((r) => anvil!.once("exit", r));
      anvil.kill("SIGKILL");
      await exited;
    }
    fs.rmSync(RECORD, { recursive: true, force: true });
    const records = path.dirname(RECORD);
    if (fs.existsSync(records) && fs.readdirSync(records).length === 0) fs.rmdirSync(records);
    if (runs.length) {
      const total = runs.reduce((s, r) => s + r.seconds, 0);
      console.log(`    ${runs.length} hardhat processes, ${total.toFixed(1)} s in all`);
    }
  });

  it("deploys through Ignition, which records the deployment for the tasks", async () => {
    const out = await hardhat(["ignition", "deploy", "deploy/modules/GreenGrid.ts"]);
    expect(out).to.match(/Deployed Addresses/);
    const record = JSON.parse(fs.readFileSync(path.join(RECORD, "deployed_addresses.json"), "utf8")) as Record<
      string,
      string
    >;
    expect(record).to.have.property("Registry#ParticipantRegistry");
    expect(await rpc<string>(url, "eth_getCode", [record["Registry#ParticipantRegistry"], "latest"])).to.not.equal(
      "0x",
    );
    expect(await hardhat(["run", "--no-compile", ONBOARD_SCRIPT])).to.match(/onboarded 4 members on chain 31339/);
    const listed = await hardhatJson<{ participants: { status: string }[] }>(["registry:list"]);
    expect(listed.participants.map((p) => p.status)).to.deep.equal(["Approved", "Approved", "Approved", "Approved"]);
  });

  it("runs an auction period: 2 asks, 2 bids, the Nash iteration posted round by round", async () => {
    await hardhat(["auction:open"]);
    await hardhat(["auction:ask", "--from", "1", "--period", "1", "--energy-wh", "12000", "--price", "0.50"]);
    await hardhat(["auction:ask", "--from", "2", "--period", "1", "--energy-wh", "3000", "--price", "0.40"]);
    await hardhat(["auction:bid", "--from", "3", "--period", "1", "--energy-wh", "6000", "--price", "1.00"]);
    await hardhat(["auction:bid", "--from", "4", "--period", "1", "--energy-wh", "4000", "--price", "0.95"]);
    // buyer's market (15 kWh offered, 10 wanted): the sellers revise, the contract clears each round
    const nash = await hardhat(["auction:nash", "--period", "1", "--post"]);
    expect(nash, nash).to.match(
      /^Period 1: \d+ round\(s\) closed on chain, [1-9]\d* revision\(s\) sent, final price \d\.\d\d\/kWh, [1-9]\d* trades$/m,
    );
  });

  it("runs a matching cycle: offer, request, branch-and-bound verified on chain, finalize", async () => {
    await hardhat(["match:open"]);
    await hardhat(["match:offer", "--from", "1", "--cycle", "1", "--price", "0.60", "--capacity-wh", "5000"]);
    await hardhat(["match:request", "--from", "3", "--cycle", "1", "--energy-wh", "2000", "--max-price", "0.80"]);
    await increaseTime(60 * 60); // the posting window
    const posted = await hardhatJson<{ outcome: { events: { name: string }[] } }>([
      "match:solve",
      "--cycle",
      "1",
      "--post",
    ]);
    expect(posted.outcome.events.map((e) => e.name)).to.include("AssignmentAccepted");
    await increaseTime(30 * 60); // the submission window
    expect(await hardhat(["match:finalize", "--cycle", "1"])).to.match(/finalized in 1 transaction\(s\): 1 trades/);
  });

  it("settles every trade after its deadline (silent meters: defaults and margins)", async () => {
    await increaseTime(3 * DAY);
    await hardhat(["settle:due"]);
    const trades = await hardhatJson<{ trades: { status: string; market: string }[] }>(["trade:list"]);
    expect(trades.trades.length).to.be.greaterThan(1);
    expect(new Set(trades.trades.map((t) => t.status))).to.deep.equal(new Set(["Settled"]));
  });
});
