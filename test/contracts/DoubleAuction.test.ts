import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { encodeBytes32String } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { DoubleAuction, MockMarketEscrow } from "../../typechain-types";

const SELLER = 0;
const BUYER = 1;
const Market = { Empty: 0, Buyer: 1, Seller: 2, Balanced: 3 } as const;
const Phase = { None: 0, Open: 1, Cleared: 2, Finalized: 3 } as const;
const TICK = 10_000n; // 0.01 currency units per kWh, 6-decimal token
const price = (currency: number) => BigInt(Math.round(currency * 100)) * TICK;
const MARGIN = 1_000_000n;
const costUp = (wh: bigint, p: bigint) => (wh * p + 999n) / 1000n;

async function periodParams(overrides: Record<string, unknown> = {}) {
  const now = BigInt(await time.latest());
  return {
    region: 0,
    tick: TICK,
    feedInTariff: price(0.3),
    retailTariff: price(1.0),
    roundDuration: 3600,
    maxRounds: 10,
    orderCap: 100,
    margin: MARGIN,
    deliveryStart: now + 7200n,
    deliveryEnd: now + 10_800n,
    settlementDeadline: now + 2n * 86_400n,
    ...overrides,
  };
}

async function deployAuction() {
  const signers = await ethers.getSigners();
  const [admin, stranger] = signers;
  const registry = await ethers.deployContract("ParticipantRegistry", [
    admin.address,
    admin.address,
    3,
    [1, 2],
    ["North", "South"],
  ]);
  const escrow = (await ethers.deployContract("MockMarketEscrow")) as unknown as MockMarketEscrow;
  const auction = (await ethers.deployContract("DoubleAuction", [
    admin.address,
    await registry.getAddress(),
    await escrow.getAddress(),
  ])) as unknown as DoubleAuction;
  const names = ["E", "F", "G", "H", "X", "Y", "Z", "W"];
  const who: Record<string, HardhatEthersSigner> = {};
  for (const [i, name] of names.entries()) {
    const account = signers[2 + i];
    const meter = signers[2 + names.length + i];
    who[name] = account;
    await registry.connect(account).register({
      displayName: name,
      meterId: encodeBytes32String(`M-${name}`),
      meterDevice: meter.address,
      region: name === "W" ? 2 : 1,
      voltageLevel: 1,
      source: 1,
      capacityW: 10_000,
      batteryWh: 50_000,
      settlementAccount: account.address,
    });
    await registry.connect(admin).approve(account.address);
  }
  await auction.openPeriod(await periodParams());
  return { registry, escrow, auction, admin, stranger, who };
}

/** SPEC section 3 worked example, hour 24: four sellers, 13 kWh of demand from three buyers. */
async function hour24() {
  const f = await deployAuction();
  const { auction, who } = f;
  await auction.connect(who.E).placeOrder(1, SELLER, 12_000, price(0.5));
  await auction.connect(who.F).placeOrder(1, SELLER, 13_000, price(0.64));
  await auction.connect(who.G).placeOrder(1, SELLER, 1_000, price(0.74));
  await auction.connect(who.H).placeOrder(1, SELLER, 3_000, price(0.4));
  await auction.connect(who.X).placeOrder(1, BUYER, 5_000, price(1.0));
  await auction.connect(who.Y).placeOrder(1, BUYER, 4_000, price(0.95));
  await auction.connect(who.Z).placeOrder(1, BUYER, 4_000, price(0.9));
  return f;
}

/** Closes a round with the merit orders the contract itself sorts (books of up to 64 orders). */
async function closeSorted(auction: DoubleAuction, periodId: number) {
  const [sellers, buyers] = await auction.sortedMeritOrders(periodId);
  return auction.closeRound(periodId, [...sellers], [...buyers]);
}

async function finalizeSorted(auction: DoubleAuction, periodId: number, maxSteps: number) {
  const [sellers, buyers] = await auction.sortedMeritOrders(periodId);
  return auction.finalize(periodId, [...sellers], [...buyers], maxSteps);
}

const E = 0,
  F = 1,
  G = 2,
  H = 3,
  X = 4,
  Y = 5,
  Z = 6; // order indices in hour24

describe("DoubleAuction", () => {
  describe("the SPEC's worked example (hour 24, buyer's market)", () => {
    it("reproduces every round: prices, marginal seller and allocations", async () => {
      const { auction, who } = await loadFixture(hour24);
      // round 1: everyone quotes its reservation; H sells 3 kWh, E 10 kWh at E's 0.50
      await expect(auction.closeRound(1, [H, E, F, G], [X, Y, Z]))
        .to.emit(auction, "RoundClosed")
        .withArgs(1, 1, Market.Buyer, price(0.5), E, E, 10_000, 29_000, 13_000, 0);

      // round 2: E and H raise their quotes (the Nash replies), F and G keep theirs
      await expect(auction.connect(who.E).revise(1, price(0.64)))
        .to.emit(auction, "QuoteRevised")
        .withArgs(1, 2, E, price(0.5), price(0.64));
      await auction.connect(who.H).revise(1, price(0.5));
      // E ranks before F at equal quotes: its first-round quote (minimum price) is lower
      await expect(auction.closeRound(1, [H, E, F, G], [X, Y, Z]))
        .to.emit(auction, "RoundClosed")
        .withArgs(1, 2, Market.Buyer, price(0.64), E, E, 10_000, 29_000, 13_000, 2);

      // round 3: no quote changes -> equilibrium, the auction ends
      await expect(auction.closeRound(1, [H, E, F, G], [X, Y, Z]))
        .to.emit(auction, "AuctionEnded")
        .withArgs(
          1,
          3,
          price(0.64),
          ethers.keccak256(
            ethers.AbiCoder.defaultAbiCoder().encode(
              ["uint32[]", "uint32[]"],
              [
                [H, E, F, G],
                [X, Y, Z],
              ],
            ),
          ),
        );
      expect((await auction.state(1)).phase).to.equal(Phase.Cleared);
    });

    it("finalizes into bilateral trades by walking both merit orders, refunding and releasing exactly", async () => {
      const { auction, escrow, who } = await loadFixture(hour24);
      await closeSorted(auction, 1);
      await auction.connect(who.E).revise(1, price(0.64));
      await auction.connect(who.H).revise(1, price(0.5));
      await closeSorted(auction, 1);
      await closeSorted(auction, 1);
      const lockedX = await escrow.locked(who.X.address);
      expect(lockedX).to.equal(MARGIN + costUp(5_000n, price(1.0)));

      await expect(finalizeSorted(auction, 1, 100)).to.emit(auction, "PeriodFinalized").withArgs(1, 4);
      const trades = await Promise.all([1, 2, 3, 4].map((id) => escrow.trade(id)));
      const p = price(0.64);
      expect(trades.map((t) => [t.seller, t.buyer, t.energyWh, t.pricePerKwh])).to.deep.equal([
        [who.H.address, who.X.address, 3_000n, p],
        [who.E.address, who.X.address, 2_000n, p],
        [who.E.address, who.Y.address, 4_000n, p],
        [who.E.address, who.Z.address, 4_000n, p],
      ]);
      // E's margin split 2/10, 4/10, 4/10 over its three trades; X's over 3/5 and 2/5
      expect(trades.map((t) => t.sellerMargin)).to.deep.equal([
        MARGIN,
        MARGIN / 5n,
        (MARGIN * 2n) / 5n,
        (MARGIN * 2n) / 5n,
      ]);
      expect(trades.map((t) => t.buyerMargin)).to.deep.equal([(MARGIN * 3n) / 5n, (MARGIN * 2n) / 5n, MARGIN, MARGIN]);
      expect(trades.map((t) => t.prepayment)).to.deep.equal([1_920_000n, 1_280_000n, 2_560_000n, 2_560_000n]);
      // excess prepayment refunded: X locked 5 kWh at 1.00, owes 5 kWh at 0.64
      expect(await escrow.locked(who.X.address)).to.equal(MARGIN + costUp(5_000n, p));
      expect(await escrow.locked(who.Z.address)).to.equal(MARGIN + costUp(4_000n, p));
      // F and G sold nothing: margins released
      expect(await escrow.locked(who.F.address)).to.equal(0n);
      expect(await escrow.locked(who.G.address)).to.equal(0n);
      expect((await auction.state(1)).phase).to.equal(Phase.Finalized);
    });

    it("finalizes in small resumable batches with the same result", async () => {
      const { auction, escrow, who } = await loadFixture(hour24);
      await closeSorted(auction, 1);
      await auction.connect(who.E).revise(1, price(0.64));
      await closeSorted(auction, 1);
      await closeSorted(auction, 1);
      const [sellers, buyers] = await auction.sortedMeritOrders(1);
      for (let call = 0; call < 10 && (await auction.state(1)).phase !== BigInt(Phase.Finalized); call++) {
        await auction.finalize(1, [...sellers], [...buyers], 1);
      }
      expect((await auction.state(1)).phase).to.equal(Phase.Finalized);
      expect(await escrow.tradeCount()).to.equal(4);
      expect(await escrow.locked(who.F.address)).to.equal(0n);
    });
  });

  describe("seller's market and balanced market", () => {
    it("prices a seller's market at the marginal buyer's bid, every seller selling everything", async () => {
      const { auction, escrow, who } = await loadFixture(deployAuction);
      await auction.connect(who.E).placeOrder(1, SELLER, 5_000, price(0.45));
      await auction.connect(who.F).placeOrder(1, SELLER, 3_000, price(0.55));
      await auction.connect(who.X).placeOrder(1, BUYER, 4_000, price(0.9));
      await auction.connect(who.Y).placeOrder(1, BUYER, 6_000, price(0.7));
      await auction.connect(who.Z).placeOrder(1, BUYER, 2_000, price(0.8));
      // buyers by bid: X 0.90, Z 0.80, Y 0.70; supply 8 kWh: X 4, Z 2, Y 2 of 6 -> price Y's 0.70
      await expect(closeSorted(auction, 1))
        .to.emit(auction, "RoundClosed")
        .withArgs(1, 1, Market.Seller, price(0.7), 3, 3, 2_000, 8_000, 12_000, 0); // Y is order 3 here
      await closeSorted(auction, 1);
      await finalizeSorted(auction, 1, 50);
      expect(await escrow.tradeCount()).to.equal(4);
      // Y bought 2 of its 6 kWh: the prepayment of the other 4 kWh came back
      expect(await escrow.locked(who.Y.address)).to.equal(MARGIN + costUp(2_000n, price(0.7)));
    });

    it("lets a buyer's market price exceed a bid: the buyer pays it from its retail-tariff prepayment", async () => {
      const { auction, escrow, who } = await loadFixture(deployAuction);
      await auction.connect(who.E).placeOrder(1, SELLER, 5_000, price(0.9));
      await auction.connect(who.X).placeOrder(1, BUYER, 2_000, price(0.5));
      await expect(closeSorted(auction, 1))
        .to.emit(auction, "RoundClosed")
        .withArgs(1, 1, Market.Buyer, price(0.9), 0, 0, 2_000, 5_000, 2_000, 0);
      await closeSorted(auction, 1);
      await finalizeSorted(auction, 1, 10);
      const trade = await escrow.trade(1);
      expect([trade.energyWh, trade.pricePerKwh, trade.prepayment]).to.deep.equal([2_000n, price(0.9), 1_800_000n]);
      // locked 2 kWh at 1.00 + margin; the 0.20 above the price came back
      expect(await escrow.locked(who.X.address)).to.equal(MARGIN + 1_800_000n);
    });

    it("prices at the next bid when the marginal buyer is covered exactly", async () => {
      const { auction, who } = await loadFixture(deployAuction);
      await auction.connect(who.E).placeOrder(1, SELLER, 6_000, price(0.45));
      await auction.connect(who.X).placeOrder(1, BUYER, 6_000, price(0.9));
      await auction.connect(who.Y).placeOrder(1, BUYER, 6_000, price(0.7));
      await expect(closeSorted(auction, 1))
        .to.emit(auction, "RoundClosed")
        .withArgs(1, 1, Market.Seller, price(0.7), 1, 2, 6_000, 6_000, 12_000, 0); // m = X (1), price setter Y (2)
    });

    it("prices at the next ask when the marginal seller sells exactly all it had", async () => {
      const { auction, who } = await loadFixture(deployAuction);
      await auction.connect(who.E).placeOrder(1, SELLER, 4_000, price(0.45));
      await auction.connect(who.F).placeOrder(1, SELLER, 4_000, price(0.55));
      await auction.connect(who.X).placeOrder(1, BUYER, 4_000, price(0.9));
      await expect(closeSorted(auction, 1))
        .to.emit(auction, "RoundClosed")
        .withArgs(1, 1, Market.Buyer, price(0.55), 0, 1, 4_000, 8_000, 4_000, 0);
    });

    it("clears a balanced market in full at the last seller's ask", async () => {
      const { auction, escrow, who } = await loadFixture(deployAuction);
      await auction.connect(who.E).placeOrder(1, SELLER, 4_000, price(0.45));
      await auction.connect(who.F).placeOrder(1, SELLER, 2_000, price(0.6));
      await auction.connect(who.X).placeOrder(1, BUYER, 6_000, price(0.9));
      await expect(closeSorted(auction, 1))
        .to.emit(auction, "RoundClosed")
        .withArgs(1, 1, Market.Balanced, price(0.6), 1, 1, 2_000, 6_000, 6_000, 0);
      await closeSorted(auction, 1);
      await finalizeSorted(auction, 1, 10);
      expect(await escrow.tradeCount()).to.equal(2);
    });

    it("ends an empty market at once and releases every order", async () => {
      const { auction, escrow, who } = await loadFixture(deployAuction);
      await auction.connect(who.E).placeOrder(1, SELLER, 4_000, price(0.45));
      await expect(closeSorted(auction, 1)).to.emit(auction, "AuctionEnded");
      await finalizeSorted(auction, 1, 10);
      expect(await escrow.tradeCount()).to.equal(0);
      expect(await escrow.locked(who.E.address)).to.equal(0n);
    });
  });

  describe("orders", () => {
    it("locks the margin for an ask and margin + prepayment for a bid", async () => {
      const { auction, escrow, who } = await loadFixture(deployAuction);
      await expect(auction.connect(who.E).placeOrder(1, SELLER, 12_000, price(0.5)))
        .to.emit(auction, "OrderPlaced")
        .withArgs(1, 0, who.E.address, SELLER, 12_000, price(0.5));
      await auction.connect(who.X).placeOrder(1, BUYER, 1_001, price(0.33));
      expect(await escrow.locked(who.E.address)).to.equal(MARGIN);
      // prepaid at the retail tariff, the most a buyer can owe: 1.001 kWh x 1.00 = 1.001
      expect(await escrow.locked(who.X.address)).to.equal(MARGIN + 1_001_000n);
    });

    it("rejects bad orders with named errors and changes nothing", async () => {
      const { auction, registry, admin, who, stranger } = await loadFixture(deployAuction);
      await auction.connect(who.E).placeOrder(1, SELLER, 1_000, price(0.5));
      await expect(auction.connect(who.E).placeOrder(1, SELLER, 1_000, price(0.5)))
        .to.be.revertedWithCustomError(auction, "AuctionDuplicateOrder")
        .withArgs(1, who.E.address, 0);
      await expect(auction.connect(who.F).placeOrder(1, SELLER, 0, price(0.5))).to.be.revertedWithCustomError(
        auction,
        "AuctionZeroEnergy",
      );
      await expect(auction.connect(who.F).placeOrder(1, SELLER, 1_000, price(0.29)))
        .to.be.revertedWithCustomError(auction, "AuctionPriceOutOfRange")
        .withArgs(price(0.29), price(0.3), price(1.0));
      await expect(auction.connect(who.F).placeOrder(1, SELLER, 1_000, price(1.01)))
        .to.be.revertedWithCustomError(auction, "AuctionPriceOutOfRange")
        .withArgs(price(1.01), price(0.3), price(1.0));
      await expect(auction.connect(who.F).placeOrder(1, SELLER, 1_000, 505_000))
        .to.be.revertedWithCustomError(auction, "AuctionPriceNotOnTick")
        .withArgs(505_000, TICK);
      await expect(auction.connect(stranger).placeOrder(1, SELLER, 1_000, price(0.5)))
        .to.be.revertedWithCustomError(registry, "RegistryNotEligible")
        .withArgs(stranger.address, 1);
      await registry.connect(admin).suspend(who.G.address, 1);
      await expect(auction.connect(who.G).placeOrder(1, SELLER, 1_000, price(0.5)))
        .to.be.revertedWithCustomError(registry, "RegistryNotEligible")
        .withArgs(who.G.address, 2);
      await expect(auction.connect(who.F).placeOrder(9, SELLER, 1_000, price(0.5)))
        .to.be.revertedWithCustomError(auction, "AuctionUnknownPeriod")
        .withArgs(9);
      expect(await auction.orderCount(1)).to.equal(1);
    });

    it("enforces the period's region and its order cap", async () => {
      const { auction, who } = await loadFixture(deployAuction);
      await auction.openPeriod(await periodParams({ region: 1, orderCap: 1 }));
      await expect(auction.connect(who.W).placeOrder(2, SELLER, 1_000, price(0.5)))
        .to.be.revertedWithCustomError(auction, "AuctionWrongRegion")
        .withArgs(who.W.address, 2, 1);
      await auction.connect(who.E).placeOrder(2, SELLER, 1_000, price(0.5));
      await expect(auction.connect(who.F).placeOrder(2, SELLER, 1_000, price(0.5)))
        .to.be.revertedWithCustomError(auction, "AuctionOrderCapReached")
        .withArgs(2, 1);
    });

    it("cancels before the first round closes, releasing the locks, and not after", async () => {
      const { auction, escrow, who } = await loadFixture(deployAuction);
      await auction.connect(who.X).placeOrder(1, BUYER, 2_000, price(0.8));
      await expect(auction.connect(who.X).cancel(1)).to.emit(auction, "OrderCancelled").withArgs(1, 0, who.X.address);
      expect(await escrow.locked(who.X.address)).to.equal(0n);
      await expect(auction.connect(who.X).cancel(1))
        .to.be.revertedWithCustomError(auction, "AuctionNoOrder")
        .withArgs(1, who.X.address);
      // a cancelled participant may place again; the cancelled order stays out of the book
      await auction.connect(who.X).placeOrder(1, BUYER, 3_000, price(0.8));
      await auction.connect(who.E).placeOrder(1, SELLER, 3_000, price(0.5));
      expect(await auction.sortedMeritOrders(1)).to.deep.equal([[2n], [1n]]);
      await closeSorted(auction, 1);
      await expect(auction.connect(who.X).cancel(1))
        .to.be.revertedWithCustomError(auction, "AuctionOrdersClosed")
        .withArgs(1, 2);
      await expect(auction.connect(who.Y).placeOrder(1, BUYER, 1_000, price(0.8)))
        .to.be.revertedWithCustomError(auction, "AuctionOrdersClosed")
        .withArgs(1, 2);
    });
  });

  describe("revisions", () => {
    it("are allowed from round 2, within the reservation, on tick, and must change the quote", async () => {
      const { auction, who } = await loadFixture(hour24);
      await expect(auction.connect(who.E).revise(1, price(0.6)))
        .to.be.revertedWithCustomError(auction, "AuctionRevisionsNotOpen")
        .withArgs(1, 1);
      await closeSorted(auction, 1);
      await expect(auction.connect(who.E).revise(1, price(0.49)))
        .to.be.revertedWithCustomError(auction, "AuctionBeyondReservation")
        .withArgs(E, price(0.49), price(0.5));
      await expect(auction.connect(who.X).revise(1, price(1.0)))
        .to.be.revertedWithCustomError(auction, "AuctionQuoteUnchanged")
        .withArgs(X, price(1.0));
      await expect(auction.connect(who.Y).revise(1, price(0.96)))
        .to.be.revertedWithCustomError(auction, "AuctionBeyondReservation")
        .withArgs(Y, price(0.96), price(0.95));
      await expect(auction.connect(who.E).revise(1, 605_000))
        .to.be.revertedWithCustomError(auction, "AuctionPriceNotOnTick")
        .withArgs(605_000, TICK);
      await expect(auction.connect(who.W).revise(1, price(0.6)))
        .to.be.revertedWithCustomError(auction, "AuctionNoOrder")
        .withArgs(1, who.W.address);
      await auction.connect(who.Y).revise(1, price(0.8));
      expect((await auction.orderAt(1, Y)).quote).to.equal(price(0.8));
      expect((await auction.orderAt(1, Y)).firstQuote).to.equal(price(0.95));
    });

    it("close with the round's time", async () => {
      const { auction, who } = await loadFixture(hour24);
      await closeSorted(auction, 1);
      await time.increase(3600);
      await expect(auction.connect(who.E).revise(1, price(0.6))).to.be.revertedWithCustomError(
        auction,
        "AuctionRoundOver",
      );
    });
  });

  describe("closing rounds", () => {
    it("is open to the operator at any time and to anyone after the round's end", async () => {
      const { auction, stranger } = await loadFixture(hour24);
      const endsAt = (await auction.state(1)).roundEndsAt;
      await expect(closeSorted(auction.connect(stranger), 1))
        .to.be.revertedWithCustomError(auction, "AuctionRoundNotOver")
        .withArgs(1, endsAt);
      await time.increaseTo(endsAt);
      await expect(closeSorted(auction.connect(stranger), 1)).to.emit(auction, "RoundClosed");
    });

    it("ends at the round limit even while quotes still change", async () => {
      const { auction, who } = await loadFixture(deployAuction);
      await auction.openPeriod(await periodParams({ maxRounds: 2 }));
      await auction.connect(who.E).placeOrder(2, SELLER, 5_000, price(0.5));
      await auction.connect(who.X).placeOrder(2, BUYER, 1_000, price(0.9));
      await closeSorted(auction, 2);
      await auction.connect(who.E).revise(2, price(0.6));
      await expect(closeSorted(auction, 2))
        .to.emit(auction, "AuctionEnded")
        .withArgs(
          2,
          2,
          price(0.6),
          ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(["uint32[]", "uint32[]"], [[0], [1]])),
        );
    });

    it("refuses merit orders that are not the verified permutation", async () => {
      const { auction } = await loadFixture(hour24);
      const close = auction.closeRound;
      await expect(close(1, [H, E, F], [X, Y, Z]))
        .to.be.revertedWithCustomError(auction, "AuctionMeritOrderLength")
        .withArgs(SELLER, 3, 4);
      await expect(close(1, [H, E, F, 99], [X, Y, Z]))
        .to.be.revertedWithCustomError(auction, "AuctionMeritOrderIndex")
        .withArgs(SELLER, 3, 99);
      await expect(close(1, [H, E, F, X], [X, Y, Z]))
        .to.be.revertedWithCustomError(auction, "AuctionMeritOrderIndex")
        .withArgs(SELLER, 3, X);
      // a repeated order cannot rank strictly after itself
      await expect(close(1, [H, E, E, G], [X, Y, Z]))
        .to.be.revertedWithCustomError(auction, "AuctionMeritOrderNotSorted")
        .withArgs(SELLER, 2);
      await expect(close(1, [E, H, F, G], [X, Y, Z]))
        .to.be.revertedWithCustomError(auction, "AuctionMeritOrderNotSorted")
        .withArgs(SELLER, 1);
      await expect(close(1, [H, E, F, G], [Y, X, Z]))
        .to.be.revertedWithCustomError(auction, "AuctionMeritOrderNotSorted")
        .withArgs(BUYER, 1);
      expect((await auction.state(1)).round).to.equal(1);
    });

    it("refuses to sort books larger than the on-chain cap", async () => {
      const { auction, registry, admin } = await loadFixture(deployAuction);
      await auction.openPeriod(await periodParams());
      const cap = Number(await auction.ON_CHAIN_SORT_CAP());
      for (let i = 0; i <= cap; i++) {
        const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
        await ethers.provider.send("hardhat_setBalance", [wallet.address, "0x56BC75E2D63100000"]);
        await registry.connect(wallet).register({
          displayName: `P${i}`,
          meterId: encodeBytes32String(`BULK-${i}`),
          meterDevice: ethers.Wallet.createRandom().address,
          region: 1,
          voltageLevel: 1,
          source: 1,
          capacityW: 1_000,
          batteryWh: 0,
          settlementAccount: wallet.address,
        });
        await registry.connect(admin).approve(wallet.address);
        await auction.connect(wallet).placeOrder(2, i % 2, 1_000 + i, price(0.5));
      }
      await expect(auction.sortedMeritOrders(2))
        .to.be.revertedWithCustomError(auction, "AuctionBookTooLargeToSort")
        .withArgs(cap + 1, cap);
      const [sellers, buyers] = [[], []] as number[][];
      const orders = await auction.ordersPage(2, 0, 100);
      orders.forEach((o, i) => (o.side === 0n ? sellers : buyers).push(i));
      // all quotes equal: first quotes equal too, so the earlier order ranks first
      await expect(auction.closeRound(2, sellers, buyers)).to.emit(auction, "RoundClosed");
    });
  });

  describe("finalize", () => {
    it("needs the committed merit order, a cleared auction and at least one step", async () => {
      const { auction } = await loadFixture(hour24);
      const fin = auction.finalize;
      await expect(fin(1, [H, E, F, G], [X, Y, Z], 10))
        .to.be.revertedWithCustomError(auction, "AuctionWrongPhase")
        .withArgs(1, Phase.Open);
      await closeSorted(auction, 1);
      await closeSorted(auction, 1);
      await expect(fin(1, [H, E, F, G], [X, Y, Z], 0)).to.be.revertedWithCustomError(auction, "AuctionZeroSteps");
      await expect(fin(1, [E, H, F, G], [X, Y, Z], 10)).to.be.revertedWithCustomError(
        auction,
        "AuctionMeritOrderMismatch",
      );
      await fin(1, [H, E, F, G], [X, Y, Z], 10);
      await expect(fin(1, [H, E, F, G], [X, Y, Z], 10))
        .to.be.revertedWithCustomError(auction, "AuctionWrongPhase")
        .withArgs(1, Phase.Finalized);
    });
  });

  describe("operator", () => {
    it("validates period parameters", async () => {
      const { auction } = await loadFixture(deployAuction);
      const bad: [Record<string, unknown>, string][] = [
        [{ tick: 0 }, "tick"],
        [{ feedInTariff: 0 }, "feedInTariff"],
        [{ feedInTariff: 305_000 }, "feedInTariff"],
        [{ retailTariff: price(1.0) + 1n }, "retailTariff"],
        [{ retailTariff: price(0.3) }, "retailTariff"],
        [{ roundDuration: 0 }, "roundDuration"],
        [{ maxRounds: 1 }, "maxRounds"],
        [{ orderCap: 0 }, "orderCap"],
        [{ orderCap: 4_097 }, "orderCap"],
        [{ margin: 0 }, "margin"],
        [{ deliveryStart: 1 }, "delivery"],
        [{ deliveryEnd: 0 }, "delivery"],
      ];
      for (const [overrides, field] of bad) {
        await expect(auction.openPeriod(await periodParams(overrides)))
          .to.be.revertedWithCustomError(auction, "AuctionInvalidParams")
          .withArgs(field);
      }
      const p = await periodParams();
      await expect(auction.openPeriod({ ...p, settlementDeadline: p.deliveryEnd - 1n }))
        .to.be.revertedWithCustomError(auction, "AuctionInvalidParams")
        .withArgs("settlementDeadline");
    });

    it("opening periods is the operator's", async () => {
      const { auction, stranger } = await loadFixture(deployAuction);
      await expect(auction.connect(stranger).openPeriod(await periodParams()))
        .to.be.revertedWithCustomError(auction, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, ethers.id("OPERATOR_ROLE"));
    });

    it("names a participant's order index, and refuses one without an order", async () => {
      const { auction, stranger } = await loadFixture(hour24);
      const count = Number(await auction.orderCount(1));
      for (let i = 0; i < count; i++) {
        const order = await auction.orderAt(1, i);
        expect(await auction.orderIndexOf(1, order.participant)).to.equal(BigInt(i));
      }
      expect(count).to.be.greaterThan(0);
      await expect(auction.orderIndexOf(1, stranger.address))
        .to.be.revertedWithCustomError(auction, "AuctionNoOrder")
        .withArgs(1, stranger.address);
    });

    it("counts the periods it opened: ids run from 1 to periodCount", async () => {
      const { auction } = await loadFixture(deployAuction);
      expect(await auction.periodCount()).to.equal(1n);
      await auction.openPeriod(await periodParams());
      expect(await auction.periodCount()).to.equal(2n);
      expect((await auction.params(2)).orderCap).to.equal((await auction.params(1)).orderCap);
    });
  });
});
