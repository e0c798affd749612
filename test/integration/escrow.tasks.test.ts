import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { Network } from "ethers";
import type { EnergyEscrow } from "../../typechain-types";
import { deployGreenGrid } from "../../deploy/deployGreenGrid";
import { CONTRACT_IDS, rememberDeployment } from "../../src/chain/deployments";
import { MARKET_ROLE, meterWallet, openTrade } from "../helpers/escrowFixtures";

/** Runs a task as a person would (through hre.run) and returns what it printed. */
async function run(name: string, args: Record<string, unknown> = {}): Promise<string> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...parts: unknown[]) => void lines.push(parts.map(String).join(" "));
  try {
    await hre.run(name, args);
  } finally {
    console.log = original;
  }
  return lines.join("\n");
}

async function runJson<T = Record<string, unknown>>(name: string, args: Record<string, unknown> = {}): Promise<T> {
  return JSON.parse(await run(name, { ...args, json: true })) as T;
}

/** Expects the task to fail with a message matching `pattern`, and no transaction to have been sent. */
async function expectRefused(name: string, args: Record<string, unknown>, pattern: RegExp): Promise<void> {
  const before = await hre.ethers.provider.getBlockNumber();
  let message = "";
  try {
    await run(name, args);
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message, `${name} should fail`).to.match(pattern);
  expect(await hre.ethers.provider.getBlockNumber(), `${name} sent nothing`).to.equal(before);
}

const sellerKey = meterWallet("task seller").privateKey;
const SELLER = "2";
const BUYER = "3";
const BUYER_METER = "9"; // the buyer's meter device signs with a node account (--from)

/** The market deployed through Ignition and two prosumers registered and approved through the tasks. */
async function marketFixture() {
  const deployed = await deployGreenGrid(hre);
  const escrow = deployed.escrow as unknown as EnergyEscrow;
  const signers = await hre.ethers.getSigners();
  const market = signers[1];
  await escrow.connect(signers[0]).grantRole(MARKET_ROLE, market.address);
  const quiet = { json: true };
  await run("registry:register", {
    ...quiet,
    from: SELLER,
    name: "PV roof E",
    meterId: "MTR-E",
    device: meterWallet("task seller").address,
    region: "1",
    voltage: "low",
    source: "solar",
    capacityW: "12000",
  });
  await run("registry:register", {
    ...quiet,
    from: BUYER,
    name: "Household X",
    meterId: "MTR-X",
    device: BUYER_METER,
    region: "1",
    voltage: "low",
    source: "none",
    capacityW: "9000",
  });
  await run("registry:approve", { ...quiet, account: SELLER });
  await run("registry:approve", { ...quiet, account: BUYER });
  const addresses = Object.fromEntries(
    await Promise.all(
      Object.entries(deployed).map(async ([key, c]) => [
        CONTRACT_IDS[key as keyof typeof CONTRACT_IDS],
        await c.getAddress(),
      ]),
    ),
  );
  return { escrow, market, signers, addresses };
}

/** Money in, a trade opened by the market: what exists when delivery is about to start. */
async function tradeFixture() {
  const f = await marketFixture();
  const quiet = { json: true };
  await run("token:mint", { ...quiet, to: SELLER, amount: "100" });
  await run("token:mint", { ...quiet, to: BUYER, amount: "100" });
  await run("token:mint", { ...quiet, to: "0", amount: "50" });
  await run("escrow:deposit", { ...quiet, from: SELLER, amount: "20" });
  await run("escrow:deposit", { ...quiet, from: BUYER, amount: "30.5" });
  await run("reward:fund", { ...quiet, from: "0", amount: "10" });
  const trade = await openTrade(f.escrow, f.market, f.signers[2].address, f.signers[3].address);
  return { ...f, trade };
}

/** Fixtures of other files deploy too: point the tasks at this file's deployment again. */
async function pin<T extends { addresses: Record<string, string> }>(f: T): Promise<T> {
  rememberDeployment((await hre.ethers.provider.getNetwork()).chainId, f.addresses);
  return f;
}

describe("escrow tasks (integration)", function () {
  this.timeout(300_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "greengrid-readings-"));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a newcomer settles a trade with the tasks alone", async () => {
    const f = await pin(await loadFixture(tradeFixture));
    const id = f.trade.tradeId.toString();

    const before = await runJson<{ free: string; locked: string }>("escrow:balance", { account: BUYER });
    expect(before).to.include({ free: "23100000", locked: "7400000" }); // 30.5 - 1 margin - 6.4 prepayment

    const shown = await runJson<{ phase: string; trade: { energyWh: string } }>("trade:show", { id });
    expect(shown.phase).to.equal("before-delivery");
    expect(shown.trade.energyWh).to.equal("10000");

    await time.increaseTo(f.trade.terms.deliveryStart);
    const providerFile = path.join(dir, "provider.json");
    const userFile = path.join(dir, "user.json");
    await run("meter:sign", { trade: id, side: "provider", energyWh: "10000", key: sellerKey, out: providerFile });
    await run("meter:sign", { trade: id, side: "user", energyWh: "9600", from: BUYER_METER, out: userFile });
    const providerReading = JSON.parse(fs.readFileSync(providerFile, "utf8"));
    expect(providerReading.reading).to.deep.include({ tradeId: id, side: 0, energyWh: "10000", sequence: "1" });

    // a gateway relays both readings in one transaction, from an account of its own
    const batchFile = path.join(dir, "batch.json");
    fs.writeFileSync(batchFile, JSON.stringify([providerReading, JSON.parse(fs.readFileSync(userFile, "utf8"))]));
    const submitted = await runJson<{ outcome: { events: { name: string }[] } }>("meter:submit", {
      file: batchFile,
      from: "5",
    });
    expect(submitted.outcome.events.filter((e) => e.name === "ReadingAccepted")).to.have.length(2);

    await time.increaseTo(f.trade.terms.deliveryEnd);
    expect((await runJson<{ phase: string }>("trade:show", { id })).phase).to.equal("settleable");
    const settled = await run("settle", { id, from: "6" });
    expect(settled).to.match(/Settled trade 1: seller paid 6\.4 gEUR, buyer refunded 0 gEUR/);

    // loss of 400 Wh is within tau (5 % = 500 Wh): half the reward of 1 gEUR
    const sellerBalance = await runJson<{ free: string; locked: string }>("escrow:balance", { account: SELLER });
    expect(sellerBalance).to.include({ free: String(18_000_000n + 6_400_000n + 2_000_000n + 500_000n), locked: "0" });
    const buyerBalance = await runJson<{ free: string; locked: string }>("escrow:balance", { account: BUYER });
    expect(buyerBalance).to.include({ free: "24100000", locked: "0" });

    const withdrawn = await run("escrow:withdraw", { from: SELLER, amount: "26.9" });
    expect(withdrawn).to.match(/Withdrew 26\.9 gEUR/);
    expect((await runJson<{ free: string }>("escrow:balance", { account: SELLER })).free).to.equal("0");

    const certs = await runJson<{ vintages: { vintage: string; balanceWh: string }[] }>("cert:balance", {
      account: BUYER,
    });
    expect(certs.vintages).to.deep.equal([{ vintage: "24", balanceWh: "9600", retiredWh: "0" }]);
    const retired = await run("cert:retire", {
      from: BUYER,
      vintage: "24",
      amountWh: "9600",
      beneficiary: "Household X, 2025",
    });
    expect(retired).to.match(/Retired 9600 Wh \(0\.0096 certificates\) of vintage 24/);
    const after = await runJson<{ vintages: { balanceWh: string; retiredWh: string }[] }>("cert:balance", {
      account: BUYER,
      vintage: "24",
    });
    expect(after.vintages[0]).to.include({ balanceWh: "0", retiredWh: "9600" });

    const listed = await runJson<{ trades: { id: string; status: string }[] }>("trade:list", { status: "settled" });
    expect(listed.trades.map((t) => t.id)).to.deep.equal([id]);
  });

  it("settle:due settles every trade past its deadline, in batches", async () => {
    const f = await pin(await loadFixture(tradeFixture));
    await openTrade(f.escrow, f.market, f.signers[2].address, f.signers[3].address, { buyerMargin: 0n });
    await openTrade(f.escrow, f.market, f.signers[2].address, f.signers[3].address, { sellerMargin: 0n });
    expect(await run("settle:due")).to.equal("No open trade is past its settlement deadline.");
    const last = await f.escrow.trade(3n);
    await time.increaseTo(last.settlementDeadline);
    const due = await runJson<{ due: string[]; transactions: unknown[] }>("settle:due", { batch: "2", from: "7" });
    expect(due.due).to.deep.equal(["1", "2", "3"]);
    expect(due.transactions).to.have.length(2);
    const listed = await runJson<{ trades: unknown[] }>("trade:list", { status: "open" });
    expect(listed.trades).to.deep.equal([]);
  });

  it("dry runs validate and simulate but send nothing", async () => {
    const f = await pin(await loadFixture(tradeFixture));
    const blocks = await hre.ethers.provider.getBlockNumber();
    const dry = await runJson<{ dryRun: boolean; transactions: { plan: { method: string } }[] }>("escrow:deposit", {
      from: SELLER,
      amount: "1.25",
      dryRun: true,
    });
    expect(dry.dryRun).to.equal(true);
    expect(dry.transactions.map((t) => t.plan.method)).to.include("deposit");
    await run("escrow:withdraw", { from: SELLER, amount: "1", dryRun: true });
    await time.increaseTo(f.trade.terms.settlementDeadline);
    const blocksAfterTravel = await hre.ethers.provider.getBlockNumber();
    await run("settle", { id: "1", dryRun: true });
    await run("settle:due", { dryRun: true });
    expect(await hre.ethers.provider.getBlockNumber()).to.equal(blocksAfterTravel);
    expect(blocksAfterTravel).to.equal(blocks + 1); // only the time travel mined a block
  });

  describe("malformed invocations give clear errors and send nothing", () => {
    it("amounts: not a number, negative, too many decimals, zero", async () => {
      await pin(await loadFixture(tradeFixture));
      await expectRefused("escrow:deposit", { from: SELLER, amount: "twelve" }, /--amount must be a decimal amount/);
      await expectRefused("escrow:deposit", { from: SELLER, amount: "-1" }, /--amount must be a decimal amount/);
      await expectRefused("escrow:deposit", { from: SELLER, amount: "1.0000001" }, /more than 6 decimals/);
      await expectRefused("escrow:withdraw", { from: SELLER, amount: "0" }, /--amount must be more than 0/);
      await expectRefused("reward:fund", { from: SELLER, amount: "1e3" }, /--amount must be a decimal amount/);
      await expectRefused("token:mint", { to: SELLER, amount: "" }, /--amount must be a decimal amount/);
    });

    it("balances: withdrawing locked funds, depositing more than the wallet holds", async () => {
      await pin(await loadFixture(tradeFixture));
      await expectRefused("escrow:withdraw", { from: SELLER, amount: "18.5" }, /has 18 gEUR free \(2 gEUR locked/);
      await expectRefused("escrow:deposit", { from: SELLER, amount: "80.000001" }, /holds 80 gEUR in its wallet/);
    });

    it("token:mint refuses chains other than 31337 and 1337", async () => {
      await pin(await loadFixture(tradeFixture));
      const provider = hre.ethers.provider;
      const original = provider.getNetwork.bind(provider);
      provider.getNetwork = async () => new Network("sepolia", 11155111n);
      try {
        await expectRefused("token:mint", { to: SELLER, amount: "1" }, /runs only on local chains.*chain 11155111/);
      } finally {
        provider.getNetwork = original;
      }
    });

    it("meter:sign: flags, and a key that is not the party's meter", async () => {
      const f = await pin(await loadFixture(tradeFixture));
      const id = f.trade.tradeId.toString();
      const base = { trade: id, side: "provider", energyWh: "1" };
      await expectRefused("meter:sign", { ...base, side: "left", key: sellerKey }, /--side must be provider or user/);
      await expectRefused("meter:sign", { ...base, key: sellerKey, from: "9" }, /exactly one of --key or --from/);
      await expectRefused("meter:sign", { ...base }, /exactly one of --key or --from/);
      await expectRefused("meter:sign", { ...base, key: "0x1234" }, /--key must be a private key/);
      await expectRefused(
        "meter:sign",
        { ...base, energyWh: "-5", key: sellerKey },
        /--energy-wh must be between 0 and 18446744073709551615/,
      );
      await expectRefused("meter:sign", { ...base, trade: "0", key: sellerKey }, /--trade must be at least 1/);
      await expectRefused("meter:sign", { ...base, trade: "99", key: sellerKey }, /trade 99 does not exist/);
      await expectRefused("meter:sign", { ...base, from: BUYER_METER }, /is not the provider meter of trade 1/);
      await expectRefused("meter:sign", { ...base, key: sellerKey, sequence: "0" }, /--sequence must be between 1/);
    });

    it("meter:submit: missing file, not JSON, wrong shape, altered reading, wrong chain, replay", async () => {
      const f = await pin(await loadFixture(tradeFixture));
      const id = f.trade.tradeId.toString();
      await time.increaseTo(f.trade.terms.deliveryStart);
      const file = path.join(dir, "reading.json");
      await run("meter:sign", { trade: id, side: "provider", energyWh: "5000", key: sellerKey, out: file });
      const good = JSON.parse(fs.readFileSync(file, "utf8"));
      const write = (name: string, content: unknown) => {
        const p = path.join(dir, name);
        fs.writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
        return p;
      };
      await expectRefused("meter:submit", { file: path.join(dir, "nope.json") }, /does not exist/);
      await expectRefused("meter:submit", { file: write("bad.json", "{not json") }, /is not valid JSON/);
      await expectRefused("meter:submit", { file: write("empty.json", []) }, /empty list/);
      await expectRefused(
        "meter:submit",
        { file: write("short.json", { ...good, signature: good.signature.slice(0, 100) }) },
        /signature must be 65 bytes of hex/,
      );
      await expectRefused(
        "meter:submit",
        { file: write("side.json", { ...good, reading: { ...good.reading, side: 3, energyWh: "x" } }) },
        /reading.side must be 0 \(provider\) or 1 \(user\)[\s\S]*reading.energyWh must be a whole number/,
      );
      await expectRefused(
        "meter:submit",
        { file: write("altered.json", { ...good, reading: { ...good.reading, energyWh: "9999" } }) },
        /the signature was made by 0x[0-9a-fA-F]{40}, not by the signer/,
      );
      await expectRefused(
        "meter:submit",
        { file: write("chain.json", { ...good, chainId: "1", reading: { ...good.reading, chainId: "1" } }) },
        /signed for chain 1; network "hardhat" is chain 31337/,
      );
      await expectRefused(
        "meter:submit",
        { file: write("twice.json", [good, good]) },
        /sequence 1 of 0x[0-9a-fA-F]{40} does not exceed 1 earlier in the file/,
      );
      await run("meter:submit", { file, json: true });
      // the same file again is a re-run of a finished relay: nothing to send, and it says so
      const blocks = await hre.ethers.provider.getBlockNumber();
      expect(await run("meter:submit", { file })).to.match(/All 1 reading\(s\) in .* are already recorded on chain/);
      expect(await hre.ethers.provider.getBlockNumber()).to.equal(blocks);
      const replay = path.join(dir, "replay.json");
      await run("meter:sign", {
        trade: id,
        side: "provider",
        energyWh: "6000",
        key: sellerKey,
        sequence: "2",
        out: replay,
      });
      await run("meter:submit", { file: replay, json: true });
      const stale = path.join(dir, "stale.json");
      await run("meter:sign", {
        trade: id,
        side: "provider",
        energyWh: "7000",
        key: sellerKey,
        sequence: "3",
        out: stale,
      });
      await run("meter:submit", { file: stale, json: true });
      // a reading the chain holds no more (superseded by sequence 3) is a replay, not a re-run
      await expectRefused("meter:submit", { file: replay }, /sequence 2 was already used/);
    });

    it("settle: unknown trade, too early, twice; settle:due with a bad batch", async () => {
      const f = await pin(await loadFixture(tradeFixture));
      await expectRefused("settle", { id: "x" }, /--id must be a whole number/);
      await expectRefused("settle", { id: "99" }, /trade 99 does not exist \(trades are numbered 1\.\.1\)/);
      await expectRefused("settle", { id: "1" }, /cannot be settled yet: it is waiting for delivery to start/);
      await expectRefused("settle:due", { batch: "0" }, /--batch must be between 1 and 50/);
      await expectRefused("settle:due", { batch: "51" }, /--batch must be between 1 and 50/);
      await time.increaseTo(f.trade.terms.settlementDeadline);
      await run("settle", { id: "1", json: true });
      await expectRefused("settle", { id: "1" }, /already settled/);
      await expectRefused("trade:list", { status: "pending" }, /--status must be one of all, open, settled, due/);
    });

    it("cert:retire: more than held, no beneficiary, too long a beneficiary", async () => {
      await pin(await loadFixture(tradeFixture));
      await expectRefused(
        "cert:retire",
        { from: BUYER, vintage: "24", amountWh: "1", beneficiary: "me" },
        /holds 0 Wh of vintage 24, less than 1 Wh/,
      );
      await expectRefused(
        "cert:retire",
        { from: BUYER, vintage: "24", amountWh: "1", beneficiary: " " },
        /--beneficiary is required/,
      );
      await expectRefused(
        "cert:retire",
        { from: BUYER, vintage: "24", amountWh: "0", beneficiary: "é".repeat(65) },
        /--amount-wh must be at least 1[\s\S]*--beneficiary is 130 bytes long/,
      );
    });
  });
});
