import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import { worldFixture } from "../helpers/securityFixtures";
import { GEUR, cast, onboard } from "../security/negative/marketSetup";

/**
 * Regression (found by test/property/system.fuzz.test.ts, seed 20251208): a period that cleared but was not
 * finalized before its settlement deadline could never be finalized, because the escrow refuses trades whose
 * deadline has passed (EscrowInvalidSchedule); every margin and prepayment of the period stayed locked for ever.
 * finalize now releases, from the deadline on, whatever it has not turned into trades yet.
 */
describe("DoubleAuction: finalize after the settlement deadline", () => {
  const TICK = 10_000n;
  const MARGIN = GEUR;

  async function clearedPeriod() {
    const world = await worldFixture();
    const { auction, registry, token, escrow } = world;
    const who = await cast(["admin", "stranger", "s1", "s2", "b1", "b2"] as const);
    const system = { registry, token, escrow, regulator: who.admin };
    for (const name of ["s1", "s2", "b1", "b2"] as const) await onboard(system, who[name], `late ${name}`);
    const now = BigInt(await time.latest());
    await auction.openPeriod({
      region: 0,
      tick: TICK,
      feedInTariff: 300_000n,
      retailTariff: 1_000_000n,
      roundDuration: 600,
      maxRounds: 2,
      orderCap: 10,
      margin: MARGIN,
      deliveryStart: now + 3_600n,
      deliveryEnd: now + 7_200n,
      settlementDeadline: now + 10_800n,
    });
    // supply 9 kWh > demand 7 kWh: s1 sells 5 to b1 and b2, s2 sells the rest; three trades in all
    await auction.connect(who.s1).placeOrder(1, 0, 5_000, 500_000);
    await auction.connect(who.s2).placeOrder(1, 0, 4_000, 600_000);
    await auction.connect(who.b1).placeOrder(1, 1, 3_000, 900_000);
    await auction.connect(who.b2).placeOrder(1, 1, 4_000, 800_000);
    const sorted = await auction.sortedMeritOrders(1);
    const [sellers, buyers] = [[...sorted[0]], [...sorted[1]]];
    await auction.closeRound(1, sellers, buyers);
    await auction.closeRound(1, sellers, buyers);
    expect((await auction.state(1)).phase).to.equal(2n); // Cleared
    const accounts = [who.s1, who.s2, who.b1, who.b2].map((s) => s.address);
    const free = await Promise.all(accounts.map((a) => escrow.freeBalanceOf(a)));
    return { ...world, who, sellers, buyers, accounts, free };
  }

  it("releases every lock of a period never finalized before its deadline, creating no trade", async () => {
    const { auction, escrow, who, sellers, buyers, accounts } = await loadFixture(clearedPeriod);
    await time.increaseTo((await auction.params(1)).settlementDeadline);
    const tx = auction.connect(who.stranger).finalize(1, sellers, buyers, 10);
    await expect(tx).to.emit(auction, "PeriodFinalized").withArgs(1, 0);
    await expect(tx).to.not.emit(auction, "TradeMatched");
    expect(await escrow.tradeCount()).to.equal(0n);
    for (const a of accounts) {
      expect(await escrow.lockedBy(await auction.getAddress(), a), a).to.equal(0n);
      expect(await escrow.lockedBalanceOf(a), a).to.equal(0n);
      expect(await escrow.freeBalanceOf(a), a).to.equal(100n * GEUR);
    }
  });

  it("after a batch of trades, releases exactly what the remaining matches held", async () => {
    const { auction, escrow, token, who, sellers, buyers, accounts } = await loadFixture(clearedPeriod);
    await auction.connect(who.stranger).finalize(1, sellers, buyers, 1); // one trade, s1 -> b1, 3 kWh
    expect(await escrow.tradeCount()).to.equal(1n);
    await time.increaseTo((await auction.params(1)).settlementDeadline);
    await expect(auction.connect(who.stranger).finalize(1, sellers, buyers, 1)).to.not.emit(auction, "PeriodFinalized");
    await expect(auction.connect(who.stranger).finalize(1, sellers, buyers, 10)).to.emit(auction, "PeriodFinalized");
    expect(await escrow.tradeCount()).to.equal(1n);
    const auctionAddress = await auction.getAddress();
    const t = await escrow.trade(1);
    for (const a of accounts) {
      expect(await escrow.lockedBy(auctionAddress, a), a).to.equal(0n);
      // what stays locked is exactly what the one trade holds
      const held = (a === t.seller ? t.sellerMargin : 0n) + (a === t.buyer ? t.buyerMargin + t.prepayment : 0n);
      expect(await escrow.lockedBalanceOf(a), a).to.equal(held);
    }
    await escrow.connect(who.stranger).settle(1); // past the deadline, both meters silent
    expect(await escrow.totalLocked()).to.equal(0n);
    expect(await token.balanceOf(await escrow.getAddress())).to.equal((await escrow.totalFree()) + (await escrow.rewardPool()));
    expect(await escrow.totalFree()).to.equal(400n * GEUR);
  });

  it("still turns every match into a trade before the deadline", async () => {
    const { auction, escrow, who, sellers, buyers } = await loadFixture(clearedPeriod);
    await time.increaseTo((await auction.params(1)).settlementDeadline - 10n);
    await expect(auction.connect(who.stranger).finalize(1, sellers, buyers, 10)).to.emit(auction, "PeriodFinalized").withArgs(1, 3);
    expect(await escrow.tradeCount()).to.equal(3n);
  });
});
