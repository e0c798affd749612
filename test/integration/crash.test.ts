import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { readBook, type Book } from "../../src/chain/auction";
import { planNashPosting, type NashPostingPlan } from "../../src/chain/auctionNash";
import { listTrades, readReadings, readSettlement, signReading } from "../../src/chain/escrow";
import { toReadingFile, SIDE_INDEX, type SignedReading } from "../../src/core/meter";
import { settleTrade, type TradeRecord } from "../../src/core/settlement";
import { toJson } from "../../src/cli/output";
import {
  removeAnvilRecord,
  runHardhat,
  startHardhat,
  summariseRuns,
  type RunningTask,
  type TaskRun,
} from "./anvil/cli";
import { REWARD_FUND } from "./anvil/market";
import { ANVIL_MEMBERS } from "./anvil/onboard";
import {
  ANVIL_CHAIN_ID,
  anvilBinary,
  blockNumber,
  increaseTime,
  killProcess,
  nonceOf,
  startAnvil,
  type AnvilNode,
} from "./anvil/node";
import { copyStateFile, mineTransactions, resumeMining, setAutomine, waitForStateFile } from "./anvil/state";
import { booksProblem, defaultAccountWallet, marketView, readBooks, type MarketView } from "./anvil/view";

/**
 * Crash recovery on anvil started with `--state FILE --state-interval 1`: the node is killed (SIGKILL) in the
 * middle of an auction period and of a settlement run and restarted from its state file, and task processes
 * are killed between their transactions; re-running the same command finishes the job, a finished step sends
 * nothing, and no token is lost or paid twice. Which transaction a kill falls after is chosen by mining by hand
 * (automine off, one block per pending transaction), so the test does not depend on timing.
 *
 * A dump every second can lose the last second of blocks, so after a restart the chain may be behind what the
 * task last saw; one restart uses a copy of an earlier dump to make that loss certain. Chain 31339 and its
 * deployment record are the anvil test's; the state files live in the OS temp dir; all are removed afterwards.
 */
const MARKET_SCRIPT = path.join("test", "integration", "anvil", "market.ts");
const UNIT = 10n ** 6n; // gEUR has 6 decimals
const DEPOSIT = 100n * UNIT;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("crash recovery on anvil with a state file: kill -9 of the node and of tasks", function () {
  this.timeout(300_000);
  let bin: string;
  let dir: string;
  let stateFile: string;
  let node: AnvilNode | undefined;
  let view: MarketView;
  const runs: TaskRun[] = [];
  const started: RunningTask[] = [];
  const log: string[] = [];
  let members: string[];
  let plan: NashPostingPlan;

  const url = () => node!.url;
  const hardhat = (args: readonly string[]) => runHardhat(url(), args, runs);
  const start = (args: readonly string[]) => {
    const task = startHardhat(url(), args, runs);
    started.push(task);
    return task;
  };

  async function restart(from?: string): Promise<void> {
    await killProcess(node?.process);
    view?.provider.destroy();
    if (from) fs.copyFileSync(from, stateFile);
    node = await startAnvil(bin, { stateFile });
    view = await marketView(node.url);
  }

  /**
   * The node dies under a running task. A task waiting for a receipt keeps polling a dead node (the provider
   * retries quietly), so after a moment it is killed too, as its operator would.
   */
  async function killNodeUnder(task: RunningTask): Promise<TaskRun> {
    await killProcess(node!.process);
    const ended = await Promise.race([task.done, sleep(1_500).then(() => null)]);
    if (!ended) await killProcess(task.process);
    const run = await task.done;
    log.push(
      `  ${task.command.split(" ").slice(1, 2)} ${
        ended ? `exited with ${run.code}` : "hung on the dead node and was killed"
      }`,
    );
    return run;
  }

  /** The books balance; before any settlement every member also still holds exactly its deposit. */
  async function expectBooksBalanced(when: string, beforeSettlement = true): Promise<void> {
    const books = await readBooks(view, members);
    expect(booksProblem(books), when).to.equal(null);
    if (beforeSettlement)
      expect(
        books.accounts.map((a) => a.free + a.locked),
        when,
      ).to.deep.equal(members.map(() => DEPOSIT));
  }

  /** Every account that may sign anything here, with its nonce, and the chain height. */
  async function snapshotNonces(): Promise<{ block: number; nonces: number[] }> {
    const accounts = view.accounts.slice(0, 5);
    return { block: await blockNumber(url()), nonces: await Promise.all(accounts.map((a) => nonceOf(url(), a))) };
  }

  /** The trade ids of every such event the chain holds (a restart may have dropped some). */
  async function eventsOf(name: "TradeSettled" | "PayoutCredited" | "HonestyRewardPaid"): Promise<bigint[]> {
    const { filters } = view.escrow;
    const filter =
      name === "TradeSettled"
        ? filters.TradeSettled()
        : name === "PayoutCredited"
        ? filters.PayoutCredited()
        : filters.HonestyRewardPaid();
    const events = await view.escrow.queryFilter(filter as ReturnType<typeof filters.TradeSettled>, 0);
    return events.map((e) => e.args.tradeId);
  }

  before(async function () {
    const found = anvilBinary();
    if (!found) {
      console.log(`    skipped: no anvil binary for ${process.platform}-${process.arch}`);
      this.skip();
    }
    bin = found!;
    removeAnvilRecord(); // a leftover of an interrupted run
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "greengrid-crash-"));
    stateFile = path.join(dir, "state.json");
    node = await startAnvil(bin, { stateFile });
  });

  after(async () => {
    for (const task of started) await killProcess(task.process);
    await killProcess(node?.process);
    view?.provider.destroy();
    removeAnvilRecord();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    for (const line of log) console.log(`    ${line}`);
    if (runs.length) console.log(`    ${summariseRuns(runs)}`);
  });

  it("sets up a market with two auction periods in one process, kept by the state file", async () => {
    expect(await hardhat(["run", "--no-compile", MARKET_SCRIPT])).to.match(/market ready on chain 31339/);
    view = await marketView(url());
    members = ANVIL_MEMBERS.map((m) => view.accounts[m.account]);
    const [first, second] = [await readBook(view.auction, 1n), await readBook(view.auction, 2n)];
    expect([first.phase, first.round, first.orders.length]).to.deep.equal(["Open", 1, 4]);
    expect(second.phase).to.equal("Cleared");
    plan = planNashPosting(first, view.accounts);
    expect(plan.status).to.equal("converged");
    // the setup is not under test: a restart must find it whole
    await waitForStateFile(stateFile, await blockNumber(url()));
    await expectBooksBalanced("after setup");
  });

  it("kill -9 of the node between Nash rounds: restarted from the state file, the chain is where it was dumped", async () => {
    await setAutomine(url(), false);
    const task = start(["auction:nash", "--period", "1", "--post"]);
    // round 1 closed and the first revision of round 2 in: the period is half way through its rounds
    expect(await mineTransactions(url(), 2, task.running)).to.equal(2);
    const seen = await blockNumber(url());
    const died = await killNodeUnder(task);
    expect(died.code, "the task cannot have succeeded").to.not.equal(0);
    await restart();
    const kept = await blockNumber(url());
    const book = await readBook(view.auction, 1n);
    log.push(`node killed at block ${seen} mid-round 2; restarted at block ${kept} (round ${book.round})`);
    expect(kept).to.be.at.most(seen);
    expect(book.phase).to.equal("Open");
    await expectBooksBalanced("after the node restart");
  });

  it("kill -9 of auction:nash between its transactions: the re-run sends only what is left, as planned", async () => {
    await setAutomine(url(), false);
    const task = start(["auction:nash", "--period", "1", "--post"]);
    expect(await mineTransactions(url(), 1, task.running)).to.equal(1);
    await killProcess(task.process);
    const leftover = await resumeMining(url());
    const before = await readBook(view.auction, 1n);
    log.push(`auction:nash killed after 1 transaction (${leftover} left in the pool); chain in round ${before.round}`);

    const out = await hardhat(["auction:nash", "--period", "1", "--post"]);
    expect(out).to.match(new RegExp(`^Resuming period 1: it was ${before.phase} in round ${before.round}$`, "m"));
    expect(out).to.match(
      /^Period 1: \d+ round\(s\) closed on chain, \d+ revision\(s\) sent, final price 1\.00\/kWh, 3 trades$/m,
    );
    await expectPeriodAsPlanned(await readBook(view.auction, 1n));
  });

  /** The period ended as the engine planned: its final quotes and price, one close per round, one walk of trades. */
  async function expectPeriodAsPlanned(book: Book): Promise<void> {
    expect(book.phase).to.equal("Finalized");
    const finalQuotes = new Map(book.orders.map((o) => [o.index, o.firstQuote]));
    for (const round of plan.rounds) for (const r of round.revisions) finalQuotes.set(r.order, r.price);
    expect(book.orders.map((o) => o.quote)).to.deep.equal(book.orders.map((o) => finalQuotes.get(o.index)));
    expect((await view.auction.result(1n)).price).to.equal(plan.price);
    const rounds = (await view.auction.queryFilter(view.auction.filters.RoundClosed(1n), 0)).map((e) => e.args.round);
    expect(rounds.map(Number)).to.deep.equal(Array.from({ length: rounds.length }, (_, i) => i + 1));
    const revised = (await view.auction.queryFilter(view.auction.filters.QuoteRevised(1n), 0)).map(
      (e) => `${e.args.round}/${e.args.orderIndex}`,
    );
    expect(new Set(revised).size, "one revision per order and round").to.equal(revised.length);
    const matched = await view.auction.queryFilter(view.auction.filters.TradeMatched(1n), 0);
    expect(matched.map((e) => e.args.energyWh).reduce((s, e) => s + e, 0n)).to.equal(10_000n);
    expect(new Set(matched.map((e) => e.args.price))).to.deep.equal(new Set([plan.price]));
  }

  it("re-running auction:nash on the finished period sends nothing and says so", async () => {
    const before = await snapshotNonces();
    expect(await hardhat(["auction:nash", "--period", "1", "--post"])).to.match(
      /^Period 1 is already finalized: 3 trades at 1\.00\/kWh\. Nothing was sent\.$/m,
    );
    expect(await snapshotNonces()).to.deep.equal(before);
  });

  it("kill -9 of auction:finalize --batch 1 between its transactions: the re-run continues; then it sends nothing", async () => {
    await setAutomine(url(), false);
    const task = start(["auction:finalize", "--period", "2", "--batch", "1"]);
    expect(await mineTransactions(url(), 2, task.running)).to.equal(2);
    await killProcess(task.process);
    const leftover = await resumeMining(url());
    log.push(`auction:finalize --batch 1 killed after 2 transactions (${leftover} left in the pool)`);

    expect(await hardhat(["auction:finalize", "--period", "2", "--batch", "1"])).to.match(
      /^Period 2 finalized in \d+ transaction\(s\): \d+ trades$/m,
    );
    const matched = await view.auction.queryFilter(view.auction.filters.TradeMatched(2n), 0);
    expect(new Set(matched.map((e) => e.args.tradeId)).size).to.equal(matched.length);
    expect(matched.map((e) => e.args.energyWh).reduce((s, e) => s + e, 0n)).to.equal(10_000n);
    const released = (await view.auction.queryFilter(view.auction.filters.OrderReleased(2n), 0)).map(
      (e) => e.args.orderIndex,
    );
    expect(new Set(released).size, "no order released twice").to.equal(released.length);
    expect((await readBook(view.auction, 2n)).phase).to.equal("Finalized");

    const before = await snapshotNonces();
    expect(await hardhat(["auction:finalize", "--period", "2", "--batch", "1"])).to.match(
      new RegExp(`^Period 2 is already finalized \\(${matched.length} trades\\)\\. Nothing was sent\\.$`, "m"),
    );
    expect(await snapshotNonces()).to.deep.equal(before);
    await expectBooksBalanced("after both periods");
  });

  /** Meter readings of period 1: honest, short within the loss tolerance, and a silent buyer meter. */
  const readingsPlan = new Map<bigint, { providerWh: bigint | null; userWh: bigint | null }>();
  const readingsFile = () => path.join(dir, "readings.json");

  async function signPeriodOneReadings(trades: readonly TradeRecord[]): Promise<void> {
    const chainId = BigInt(ANVIL_CHAIN_ID);
    const escrowAddress = await view.escrow.getAddress();
    const devices = new Map(ANVIL_MEMBERS.map((m) => [defaultAccountWallet(m.meter).address, m.meter]));
    const nextSequence = new Map<string, bigint>();
    const signed: SignedReading[] = [];
    const sign = async (trade: TradeRecord, side: "provider" | "user", energyWh: bigint) => {
      const device = await view.registry.meterDeviceOf(side === "provider" ? trade.seller : trade.buyer);
      const sequence = nextSequence.get(device) ?? (await view.escrow.lastSequence(device)) + 1n;
      nextSequence.set(device, sequence + 1n);
      const wallet = defaultAccountWallet(devices.get(device)!);
      const reading = { tradeId: trade.id, side: SIDE_INDEX[side], energyWh, sequence, chainId };
      signed.push(await signReading(wallet, escrowAddress, reading));
    };
    const [honest, short, silentBuyer] = trades.filter((t) => t.period === 1n);
    const shortWh = short.energyWh - (short.energyWh * short.lossToleranceBps) / 20_000n;
    readingsPlan.set(honest.id, { providerWh: honest.energyWh, userWh: honest.energyWh });
    readingsPlan.set(short.id, { providerWh: short.energyWh, userWh: shortWh });
    readingsPlan.set(silentBuyer.id, { providerWh: silentBuyer.energyWh, userWh: null });
    for (const [id, r] of readingsPlan) {
      const trade = trades.find((t) => t.id === id)!;
      if (r.providerWh !== null) await sign(trade, "provider", r.providerWh);
      if (r.userWh !== null) await sign(trade, "user", r.userWh);
    }
    fs.writeFileSync(readingsFile(), toJson(signed.map(toReadingFile)));
  }

  it("kill -9 of the node after a batch of readings: restarted without it, the re-run relays it; then nothing", async () => {
    const trades = await listTrades(view.escrow);
    expect(trades.length).to.equal(6);
    const deliveryOver = trades.reduce((m, t) => (t.deliveryEnd > m ? t.deliveryEnd : m), 0n);
    const now = BigInt((await view.provider.getBlock("latest"))!.timestamp);
    await increaseTime(url(), Number(deliveryOver - now) + 60);
    await signPeriodOneReadings(trades);
    const checkpoint = path.join(dir, "before-readings.json");
    await copyStateFile(stateFile, await blockNumber(url()), checkpoint);

    expect(await hardhat(["meter:submit", "--file", readingsFile()])).to.match(/^Submitted 5 readings /m);
    await restart(checkpoint); // the dump that still lacks the batch, as if the node died before its next dump
    const firstId = [...readingsPlan.keys()][0];
    expect((await readReadings(view.escrow, firstId)).provider, "the restarted chain lost the batch").to.equal(null);

    // (a re-run once the batch is in sends nothing: escrow.tasks.test.ts shows it without the cost of a process)
    expect(await hardhat(["meter:submit", "--file", readingsFile()])).to.match(/^Submitted 5 readings /m);
    for (const [id, r] of readingsPlan) {
      const recorded = await readReadings(view.escrow, id);
      expect([recorded.provider?.energyWh ?? null, recorded.user?.energyWh ?? null]).to.deep.equal([
        r.providerWh,
        r.userWh,
      ]);
    }
    await expectBooksBalanced("after the readings");
  });

  it("kill -9 of the node, then of the task, in settle:due --batch 1: every trade settled once, as the model says", async () => {
    const trades = await listTrades(view.escrow);
    const deadline = trades.reduce((m, t) => (t.settlementDeadline > m ? t.settlementDeadline : m), 0n);
    const now = BigInt((await view.provider.getBlock("latest"))!.timestamp);
    await increaseTime(url(), Number(deadline - now) + 60);
    const booksBefore = await readBooks(view, members);

    await setAutomine(url(), false);
    const first = start(["settle:due", "--batch", "1"]);
    expect(await mineTransactions(url(), 2, first.running)).to.equal(2);
    expect((await killNodeUnder(first)).code).to.not.equal(0);
    await restart();
    const keptSettled = (await eventsOf("TradeSettled")).length;
    log.push(`node killed after 2 settleBatch transactions; the restarted chain kept ${keptSettled} settled trade(s)`);
    await expectBooksBalanced("after the node restart mid-settlement", false);

    await setAutomine(url(), false);
    const second = start(["settle:due", "--batch", "1"]);
    expect(await mineTransactions(url(), 1, second.running)).to.equal(1);
    await killProcess(second.process);
    const leftover = await resumeMining(url());
    log.push(`settle:due killed after 1 transaction (${leftover} left in the pool)`);

    expect(await hardhat(["settle:due", "--batch", "1"])).to.match(/^Settled trades \d+/m);
    const before = await snapshotNonces();
    expect(await hardhat(["settle:due", "--batch", "1"])).to.match(
      /^No open trade is past its settlement deadline\.$/m,
    );
    expect(await snapshotNonces()).to.deep.equal(before);

    // every trade settled exactly once, each side credited once, each reward paid at most once
    const ids = trades.map((t) => t.id);
    const count = (list: bigint[], id: bigint) => list.filter((x) => x === id).length;
    const [settled, credited, rewarded] = [
      await eventsOf("TradeSettled"),
      await eventsOf("PayoutCredited"),
      await eventsOf("HonestyRewardPaid"),
    ];
    expect(ids.map((id) => count(settled, id))).to.deep.equal(ids.map(() => 1));
    expect(ids.map((id) => count(credited, id))).to.deep.equal(ids.map(() => 2));
    expect(ids.every((id) => count(rewarded, id) <= 1)).to.equal(true);

    // the model: the settlement formula on the readings sent, credited to both sides, the reward from the pool
    const expectedFree = new Map(booksBefore.accounts.map((a) => [a.account, a.free]));
    const expectedLocked = new Map(booksBefore.accounts.map((a) => [a.account, a.locked]));
    let rewards = 0n;
    for (const trade of trades) {
      const r = readingsPlan.get(trade.id) ?? { providerWh: null, userWh: null };
      const o = settleTrade({ ...trade, agreedWh: trade.energyWh, providerWh: r.providerWh, userWh: r.userWh });
      const s = (await readSettlement(view.escrow, trade.id))!;
      expect([s.sellerPayment, s.buyerRefund, s.rewardPaid, s.rewardUnpaid]).to.deep.equal([
        o.sellerPayment,
        o.buyerRefund,
        o.rewardDue,
        0n,
      ]);
      rewards += o.rewardDue;
      expectedFree.set(trade.seller, expectedFree.get(trade.seller)! + o.sellerCredit + o.rewardDue);
      expectedFree.set(trade.buyer, expectedFree.get(trade.buyer)! + o.buyerCredit);
      expectedLocked.set(trade.seller, expectedLocked.get(trade.seller)! - trade.sellerMargin);
      expectedLocked.set(trade.buyer, expectedLocked.get(trade.buyer)! - trade.buyerMargin - trade.prepayment);
    }
    const after = await readBooks(view, members);
    expect(after.accounts.map((a) => [a.free, a.locked])).to.deep.equal(
      members.map((m) => [expectedFree.get(m), expectedLocked.get(m)]),
    );
    expect(after.accounts.every((a) => a.locked === 0n)).to.equal(true);
    expect(after.totals.rewardPool).to.equal(BigInt(REWARD_FUND) * UNIT - rewards);
    // nothing created or lost: the members' deposits and the pool are all still in the escrow
    const held = after.accounts.reduce((s, a) => s + a.free + a.locked, 0n) + after.totals.rewardPool;
    expect(held).to.equal(DEPOSIT * BigInt(members.length) + BigInt(REWARD_FUND) * UNIT);
    expect(booksProblem(after)).to.equal(null);
    log.push(`${trades.length} trades settled once each; ${rewards} reward units paid; books balanced`);
  });
});
