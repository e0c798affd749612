import { expect } from "chai";
import hre from "hardhat";
import { time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { deployGreenGrid } from "../../deploy/deployGreenGrid";
import { onboard, runTask, runTaskJson, type Member } from "../helpers/world";

const SCENARIO = "scenarios/auction/hour24-buyers-market.json";

/** The SPEC's hour 24 (scenarios/auction/hour24-buyers-market.json): four sellers, three buyers. */
const SELLERS = [
  { name: "E", kwh: 12, price: "0.50" },
  { name: "F", kwh: 13, price: "0.64" },
  { name: "G", kwh: 1, price: "0.74" },
  { name: "H", kwh: 3, price: "0.40" },
];
const BUYERS = [
  { name: "X", kwh: 6, price: "1.00" },
  { name: "Y", kwh: 4, price: "0.95" },
  { name: "Z", kwh: 3, price: "0.90" },
];
const MEMBERS: Member[] = [...SELLERS, ...BUYERS].map((p, i) => ({ name: p.name, account: 1 + i, meter: 10 + i }));

interface NashReport {
  market: string;
  price: number;
  rounds: { round: number; price: number; quotes: Record<string, number> }[];
}

describe("double auction through the tasks (a full period, as users run it)", function () {
  let snapshot: string;

  before(async () => {
    await deployGreenGrid(hre);
    await onboard(hre, MEMBERS);
    snapshot = await hre.network.provider.send("evm_snapshot");
  });

  /** Each flow starts from the onboarded market, with no period open. */
  async function restore(): Promise<void> {
    await hre.network.provider.send("evm_revert", [snapshot]);
    snapshot = await hre.network.provider.send("evm_snapshot");
  }

  async function placeHour24(): Promise<void> {
    await runTask(hre, "auction:open", {});
    for (const [i, s] of SELLERS.entries()) {
      await runTask(hre, "auction:ask", {
        from: String(1 + i),
        period: "1",
        energyWh: String(s.kwh * 1000),
        price: s.price,
      });
    }
    for (const [i, b] of BUYERS.entries()) {
      await runTask(hre, "auction:bid", {
        from: String(5 + i),
        period: "1",
        energyWh: String(b.kwh * 1000),
        price: b.price,
      });
    }
  }

  describe("flows", () => {
    afterEach(restore);

    it("reproduces the SPEC's worked example on chain exactly as the off-chain engine does", async () => {
      const offChain = await runTaskJson<NashReport>(hre, "auction:nash", { scenario: SCENARIO });
      await placeHour24();

      const plan = await runTaskJson<{ rounds: { round: number; revisions: { order: number; price: string }[] }[] }>(
        hre,
        "auction:nash",
        { period: "1", dryRun: true },
      );
      // round 2: E (order 0) to 0.64 and H (order 3) to 0.50
      expect(plan.rounds[0].revisions).to.deep.equal([
        { order: 0, participant: (await hre.ethers.getSigners())[1].address, price: "640000" },
        { order: 3, participant: (await hre.ethers.getSigners())[4].address, price: "500000" },
      ]);

      const posted = await runTaskJson<Record<string, unknown>>(hre, "auction:nash", { period: "1", post: true });
      expect(posted).to.deep.equal({
        startedAt: { phase: "Open", round: 1 },
        roundsClosed: 3,
        revisionsSent: 2,
        finalizeTransactions: 1,
        price: "640000",
        trades: 4,
      });

      const shown = await runTaskJson<{ phase: string; rounds: { round: number; price: string; revisions: number }[] }>(
        hre,
        "auction:show",
        { period: "1" },
      );
      expect(shown.phase).to.equal("Finalized");
      expect(shown.rounds.map((r) => [r.round, Number(r.price) / 1e6, r.revisions])).to.deep.equal([
        [1, 0.5, 0],
        [2, 0.64, 2],
        [3, 0.64, 0],
      ]);
      expect(offChain.rounds.map((r) => r.price)).to.deep.equal([0.5, 0.64]);
      expect(offChain.price).to.equal(0.64);

      const trades = await runTaskJson<{
        trades: { seller: string; buyer: string; energyWh: string; pricePerKwh: string }[];
      }>(hre, "trade:list", {});
      const signers = await hre.ethers.getSigners();
      const nameOf = (address: string) => MEMBERS.find((m) => signers[m.account].address === address)?.name;
      expect(
        trades.trades.map((t) => [nameOf(t.seller), nameOf(t.buyer), Number(t.energyWh), Number(t.pricePerKwh)]),
      ).to.deep.equal([
        ["H", "X", 3000, 640000],
        ["E", "X", 3000, 640000],
        ["E", "Y", 4000, 640000],
        ["E", "Z", 3000, 640000],
      ]);
    });

    it("runs a period step by step with the individual tasks", async () => {
      await placeHour24();
      expect(await runTask(hre, "auction:close-round", { period: "1" })).to.match(/round 1 closed at 0.50\/kWh/);
      await runTask(hre, "auction:revise", { from: "1", period: "1", price: "0.64" });
      await runTask(hre, "auction:revise", { from: "4", period: "1", price: "0.50" });
      expect(await runTask(hre, "auction:close-round", { period: "1" })).to.match(/round 2 closed at 0.64\/kWh/);
      expect(await runTask(hre, "auction:close-round", { period: "1" })).to.match(/the auction has ended/);
      expect(await runTask(hre, "auction:finalize", { period: "1", batch: "2" })).to.match(
        /finalized in \d+ transaction\(s\): 4 trades/,
      );
      const view = await runTask(hre, "auction:show", { period: "1" });
      expect(view).to.match(/Finalized/);
      expect(view).to.match(/pending orders|order\s+participant/);
    });

    it("resumes auction:nash --post where the chain stands, and a re-run of a finished period sends nothing", async () => {
      await placeHour24();
      // a run that died in round 2 after one of its two revisions (E to 0.64; H to 0.50 is still missing)
      await runTask(hre, "auction:close-round", { period: "1" });
      await runTask(hre, "auction:revise", { from: "1", period: "1", price: "0.64" });
      const resumed = await runTask(hre, "auction:nash", { period: "1", post: true });
      expect(resumed).to.match(/^Resuming period 1: it was Open in round 2$/m);
      expect(resumed).to.match(
        /^Period 1: 2 round\(s\) closed on chain, 1 revision\(s\) sent, final price 0.64\/kWh, 4 trades$/m,
      );
      const blocks = await hre.ethers.provider.getBlockNumber();
      expect(await runTask(hre, "auction:nash", { period: "1", post: true })).to.match(
        /^Period 1 is already finalized: 4 trades at 0.64\/kWh. Nothing was sent.$/m,
      );
      expect(await runTask(hre, "auction:finalize", { period: "1" })).to.match(
        /^Period 1 is already finalized \(4 trades\). Nothing was sent.$/m,
      );
      expect(await hre.ethers.provider.getBlockNumber()).to.equal(blocks);
    });

    it("resumes auction:nash --post on a cleared period: only finalize is left", async () => {
      await placeHour24();
      await runTask(hre, "auction:close-round", { period: "1" });
      expect(await runTask(hre, "auction:close-round", { period: "1" })).to.match(/the auction has ended/);
      const posted = await runTaskJson<Record<string, unknown>>(hre, "auction:nash", { period: "1", post: true });
      expect(posted).to.deep.include({
        startedAt: { phase: "Cleared", round: 2 },
        roundsClosed: 0,
        revisionsSent: 0,
        finalizeTransactions: 1,
        price: "500000",
      });
    });

    it("lets every trade be settled by anyone after the deadline", async () => {
      await placeHour24();
      await runTask(hre, "auction:nash", { period: "1", post: true });
      const trade = await runTaskJson<{ trade: { settlementDeadline: string } }>(hre, "trade:show", { id: "1" });
      await time.increaseTo(Number(trade.trade.settlementDeadline) + 1);
      await runTask(hre, "settle:due", {});
      const list = await runTaskJson<{ trades: { status: string }[] }>(hre, "trade:list", { status: "open" });
      expect(list.trades).to.have.length(0);
    });

    it("cancels an order before the first round closes", async () => {
      await placeHour24();
      await runTask(hre, "auction:cancel", { from: "7", period: "1" });
      const shown = await runTaskJson<{ orders: { cancelled: boolean }[] }>(hre, "auction:show", { period: "1" });
      expect(shown.orders[6].cancelled).to.equal(true);
    });
  });

  describe("bad input gets a clear message and sends nothing", () => {
    // every case fails before sending, so they share one book
    before(placeHour24);
    after(restore);

    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["auction:ask", { from: "1", period: "1", energyWh: "0", price: "0.50" }, /--energy-wh must be between 1/],
      ["auction:ask", { from: "1", period: "1", energyWh: "1000", price: "abc" }, /--price must be a decimal amount/],
      ["auction:ask", { from: "1", period: "1", energyWh: "1000", price: "0.505" }, /not a whole number of ticks/],
      [
        "auction:ask",
        { from: "1", period: "1", energyWh: "1000", price: "1.20" },
        /outside the tariffs \[0.30, 1.00\]/,
      ],
      ["auction:ask", { from: "1", period: "9", energyWh: "1000", price: "0.50" }, /Period 9 does not exist/],
      ["auction:ask", { from: "1", period: "x", energyWh: "1000", price: "0.50" }, /--period must be a whole number/],
      [
        "auction:ask",
        { from: "1", period: "1", energyWh: "12000", price: "0.50" },
        /AuctionDuplicateOrder\(periodId=1, participant=0x[0-9a-fA-F]{40}, orderIndex=0\)/,
      ],
      [
        "auction:bid",
        { from: "19", period: "1", energyWh: "1000", price: "0.50" },
        /RegistryNotEligible\(account=0x[0-9a-fA-F]{40}, reason=NotApproved\)/,
      ],
      ["auction:revise", { from: "1", period: "1", price: "0.60" }, /AuctionRevisionsNotOpen\(periodId=1, round=1\)/],
      ["auction:cancel", { from: "19", period: "1" }, /AuctionNoOrder/],
      ["auction:open", { tick: "0.01", feedIn: "0.305" }, /--feed-in must be a whole number of ticks/],
      ["auction:open", { retail: "0.20" }, /--retail must be above --feed-in/],
      ["auction:open", { maxRounds: "1" }, /--max-rounds must be between 2/],
      [
        "auction:open",
        { from: "3" },
        /AccessControlUnauthorizedAccount\(account=0x[0-9a-fA-F]{40}, neededRole=OPERATOR_ROLE\)/,
      ],
      ["auction:finalize", { period: "1" }, /period 1 is Open, not Cleared/],
      ["auction:close-round", { from: "3", period: "1" }, /AuctionRoundNotOver/],
      ["auction:nash", {}, /give exactly one of --scenario <file.json> or --period <id>/],
      ["auction:nash", { scenario: "missing.json" }, /scenario file missing.json does not exist/],
      ["auction:nash", { period: "1" }, /--period needs --post/],
      ["auction:nash", { scenario: SCENARIO, post: true }, /--post needs --period/],
    ];
    for (const [task, args, message] of cases) {
      it(`${task} ${Object.entries(args)
        .map(([k, v]) => `--${k} ${v}`)
        .join(" ")}`, async () => {
        const before = await hre.ethers.provider.getBlockNumber();
        let error: Error | undefined;
        try {
          await runTask(hre, task, args);
        } catch (e) {
          error = e as Error;
        }
        expect(error, "the task should fail").to.be.instanceOf(Error);
        expect(error!.message).to.match(message);
        expect(error!.message).to.not.match(/0x[0-9a-f]{8}[0-9a-f]{56,}/i, "no raw revert data");
        expect(await hre.ethers.provider.getBlockNumber()).to.equal(before);
      });
    }
  });
});
