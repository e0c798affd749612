import fs from "node:fs";
import path from "node:path";
import { type ChildProcess } from "node:child_process";
import { expect } from "chai";
import { ANVIL_RECORD, removeAnvilRecord, runHardhat, summariseRuns, type TaskRun } from "./anvil/cli";
import { anvilBinary, increaseTime as increaseNodeTime, killProcess, rpc, startAnvil } from "./anvil/node";

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
const ONBOARD_SCRIPT = path.join("test", "integration", "anvil", "onboard.ts");
const DAY = 86_400;

describe("a trading day on anvil, every task its own process", function () {
  this.timeout(240_000);
  let anvil: ChildProcess | undefined;
  let url: string;
  const runs: TaskRun[] = [];

  /** `npx hardhat <args> --network anvil` as a separate process; rejects with its stderr if it fails. */
  function hardhat(args: readonly string[]): Promise<string> {
    return runHardhat(url, args, runs);
  }

  async function hardhatJson<T>(args: readonly string[]): Promise<T> {
    return JSON.parse(await hardhat([...args, "--json"])) as T;
  }

  /** Time travel on anvil itself (evm_increaseTime + evm_mine), from the test. */
  function increaseTime(seconds: number): Promise<void> {
    return increaseNodeTime(url, seconds);
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
    removeAnvilRecord(); // a leftover of an interrupted run
    const node = await startAnvil(bin!);
    anvil = node.process;
    url = node.url;
  });

  after(async () => {
    await killProcess(anvil);
    removeAnvilRecord();
    if (runs.length) console.log(`    ${summariseRuns(runs)}`);
  });

  it("deploys through Ignition, which records the deployment for the tasks", async () => {
    const out = await hardhat(["ignition", "deploy", "deploy/modules/GreenGrid.ts"]);
    expect(out).to.match(/Deployed Addresses/);
    const record = JSON.parse(fs.readFileSync(path.join(ANVIL_RECORD, "deployed_addresses.json"), "utf8")) as Record<
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
