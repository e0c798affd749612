import fs from "node:fs";
import path from "node:path";
import hre from "hardhat";
import { expect } from "chai";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { Wallet } from "ethers";
import type { DoubleAuction, MockMarketEscrow } from "../../typechain-types";
import { seededRandom } from "../../src/core/random";
import { recoverReadingSigner, signReading } from "../../src/chain/escrow";
import { encodeRegistration } from "../../src/chain/registry";
import { fundedWallets } from "../helpers/securityFixtures";
import { UNDER_COVERAGE } from "../helpers/coverage";
import {
  GEUR,
  R,
  expectSolvent,
  meterWallet,
  openTrade,
  openTradeFixture,
  partiesFixture,
  registerParty,
  signedReading,
  submit,
} from "../helpers/escrowFixtures";

/** EIP-7825 (osaka): the most gas one transaction may use. */
const TX_GAS_CAP = 16_777_216n;
const SELLER = 0;
const BUYER = 1;
const TICK = 10_000n;
const FEED_IN = 300_000n;
const RETAIL = 1_000_000n;

// ---------------------------------------------------------------- auction helpers

interface BookOrder {
  side: 0 | 1;
  energyWh: bigint;
  price: bigint;
}

/** A DoubleAuction on a stub registry (everyone eligible) and the mock escrow, with `count` funded participants. */
async function auctionWorld(count: number, orderCap: number) {
  const [admin] = await hre.ethers.getSigners();
  const registry = await hre.ethers.deployContract("StubRegistry");
  const escrow = (await hre.ethers.deployContract("MockMarketEscrow")) as unknown as MockMarketEscrow;
  const auction = (await hre.ethers.deployContract("DoubleAuction", [
    admin.address,
    await registry.getAddress(),
    await escrow.getAddress(),
  ])) as unknown as DoubleAuction;
  const now = BigInt(await time.latest());
  await auction.openPeriod({
    region: 0,
    tick: TICK,
    feedInTariff: FEED_IN,
    retailTariff: RETAIL,
    roundDuration: 3600,
    maxRounds: 2,
    orderCap,
    margin: GEUR,
    deliveryStart: now + 7200n,
    deliveryEnd: now + 10_800n,
    settlementDeadline: now + 86_400n,
  });
  const wallets = await fundedWallets(`auction ${count}`, count);
  return { auction, escrow, admin, wallets };
}

/** Merit order as the contract verifies it: quote, then first quote (mirrored for buyers), then order index. */
function meritOrder(placed: BookOrder[], side: 0 | 1): number[] {
  const idx = placed.map((_, i) => i).filter((i) => placed[i].side === side);
  const sign = side === SELLER ? 1n : -1n;
  return idx.sort((a, b) => {
    const d = sign * (placed[a].price - placed[b].price);
    return d !== 0n ? (d < 0n ? -1 : 1) : a - b;
  });
}

async function place(auction: DoubleAuction, wallet: Wallet, o: BookOrder) {
  // a fixed limit spares an estimate per order; coverage's probes need more
  return auction.connect(wallet).placeOrder(1, o.side, o.energyWh, o.price, { gasLimit: UNDER_COVERAGE ? 4_000_000 : 400_000 });
}

function shuffle<T>(items: readonly T[], random: { int(min: number, max: number): number }): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = random.int(0, i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** 8 sellers and 8 buyers with distinct quotes: 46 kWh offered, 40 kWh asked (a buyer's market). */
const BOOK: BookOrder[] = [
  ...[3_000n, 8_000n, 5_000n, 7_000n, 4_000n, 6_000n, 9_000n, 4_000n].map((e, i) => ({
    side: SELLER as 0 | 1,
    energyWh: e,
    price: FEED_IN + BigInt(3 + 7 * i) * TICK,
  })),
  ...[6_000n, 2_000n, 7_000n, 5_000n, 4_000n, 9_000n, 3_000n, 4_000n].map((e, i) => ({
    side: BUYER as 0 | 1,
    energyWh: e,
    price: RETAIL - BigInt(2 + 5 * i) * TICK,
  })),
];

const bookWorld = () => auctionWorld(BOOK.length, 100);

/** Places `order` (indices into BOOK, participant k places BOOK[k]), runs both rounds and finalizes. */
async function runPermutation(order: number[]) {
  const w = await loadFixture(bookWorld);
  const placed: BookOrder[] = [];
  const owner: string[] = [];
  for (const k of order) {
    await place(w.auction, w.wallets[k], BOOK[k]);
    placed.push(BOOK[k]);
    owner.push(w.wallets[k].address);
  }
  const sellers = meritOrder(placed, SELLER);
  const buyers = meritOrder(placed, BUYER);
  await w.auction.closeRound(1, sellers, buyers);
  await w.auction.closeRound(1, sellers, buyers); // round 2 without revisions ends the auction
  await w.auction.finalize(1, sellers, buyers, 1_000);
  const result = await w.auction.result(1);
  const byParticipant: Record<string, { soldWh: bigint; boughtWh: bigint; locked: bigint; committed: bigint }> = {};
  for (const wallet of w.wallets) {
    byParticipant[wallet.address] = {
      soldWh: 0n,
      boughtWh: 0n,
      locked: await w.escrow.locked(wallet.address),
      committed: await w.escrow.committed(wallet.address),
    };
  }
  const trades = Number(await w.escrow.tradeCount());
  for (let id = 1; id <= trades; id++) {
    const t = await w.escrow.trade(id);
    expect(t.pricePerKwh).to.equal(result.price);
    byParticipant[t.seller].soldWh += t.energyWh;
    byParticipant[t.buyer].boughtWh += t.energyWh;
  }
  return { price: result.price, market: result.market, byParticipant, owner };
}

// ---------------------------------------------------------------- escrow helpers

/** A second seller whose meter device is M2, and a trade of it with the fixture's buyer. */
async function twoMetersFixture() {
  const f = await openTradeFixture();
  const m2 = await registerParty(f.registry, f.operator, f.fossilSigner, meterWallet("M2"), { name: "Seller M2" });
  await f.token.connect(f.operator).mint(m2.signer.address, 20n * GEUR);
  await f.token.connect(m2.signer).approve(await f.escrow.getAddress(), 20n * GEUR);
  await f.escrow.connect(m2.signer).deposit(20n * GEUR);
  const other = await openTrade(f.escrow, f.market, m2.signer.address, f.buyer.signer.address);
  await time.increaseTo(other.terms.deliveryStart); // both trades take readings from here on
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  return { ...f, m2, other, chainId };
}

async function readingState(f: Awaited<ReturnType<typeof twoMetersFixture>>) {
  const devices = [f.seller.meter.address, f.buyer.meter.address, f.m2.meter.address];
  return {
    a: await f.escrow.readings(f.tradeId),
    b: await f.escrow.readings(f.other.tradeId),
    sequences: await Promise.all(devices.map((d) => f.escrow.lastSequence(d))),
  };
}

/** A buyer that is a contract without ERC-1155 hooks (ContractParticipant), registered, funded, with an open trade. */
async function contractBuyerFixture() {
  const f = await partiesFixture();
  const wallet = await hre.ethers.deployContract("ContractParticipant", [], f.stranger);
  const walletAddress = await wallet.getAddress();
  const meter = meterWallet("contract buyer");
  await wallet.execute(
    await f.registry.getAddress(),
    f.registry.interface.encodeFunctionData("register", [
      encodeRegistration({
        displayName: "Contract buyer",
        meterId: "MTR-CONTRACT",
        meterDevice: meter.address,
        region: 1,
        voltageLevel: 1,
        source: "None",
        capacityW: 1000n,
        batteryWh: 0n,
        settlementAccount: walletAddress,
      }),
    ]),
  );
  await f.registry.connect(f.operator).approve(walletAddress);
  await f.token.connect(f.operator).mint(walletAddress, 20n * GEUR);
  const escrowAddress = await f.escrow.getAddress();
  await wallet.execute(await f.token.getAddress(), f.token.interface.encodeFunctionData("approve", [escrowAddress, 20n * GEUR]));
  await wallet.execute(escrowAddress, f.escrow.interface.encodeFunctionData("deposit", [20n * GEUR]));
  const t = await openTrade(f.escrow, f.market, f.seller.signer.address, walletAddress);
  return { ...f, wallet, walletAddress, meter, t };
}

// ---------------------------------------------------------------- tests

describe("security: adversarial", () => {
  describe("DoubleAuction: submission order", () => {
    it("gives the same price, allocations, trades and locks per participant in 5 seeded permutations of a fixed book", async () => {
      const random = seededRandom(20_240_701);
      const identity = BOOK.map((_, k) => k);
      const reference = await runPermutation(identity);
      expect(reference.market).to.equal(1n); // buyer's market: the marginal seller sells part of its ask
      const seen = new Set([identity.join(",")]);
      for (let p = 0; p < 5; p++) {
        const order = shuffle(identity, random);
        seen.add(order.join(","));
        const run = await runPermutation(order);
        expect(run.price, `permutation ${p}`).to.equal(reference.price);
        expect(run.byParticipant, `permutation ${p}`).to.deep.equal(reference.byParticipant);
      }
      expect(seen.size, "the permutations differ").to.equal(6);
    });

    it("with exactly equal quotes, the price is still order-independent but the earlier order wins the tie (time priority)", async () => {
      // two sellers with the same 0.50 ask (so the same reservation) and one buyer of 6 kWh
      const tie: BookOrder[] = [
        { side: SELLER, energyWh: 5_000n, price: 500_000n },
        { side: SELLER, energyWh: 5_000n, price: 500_000n },
        { side: BUYER, energyWh: 6_000n, price: 900_000n },
      ];
      const outcomes = [];
      for (const order of [
        [0, 1, 2],
        [1, 0, 2],
      ]) {
        const w = await loadFixture(bookWorld);
        const placed = order.map((k) => tie[k]);
        for (const [i, k] of order.entries()) await place(w.auction, w.wallets[k], placed[i]);
        const sellers = meritOrder(placed, SELLER);
        const buyers = meritOrder(placed, BUYER);
        await w.auction.closeRound(1, sellers, buyers);
        await w.auction.closeRound(1, sellers, buyers);
        await w.auction.finalize(1, sellers, buyers, 100);
        const first = await w.escrow.trade(1);
        outcomes.push({ price: (await w.auction.result(1)).price, firstSeller: first.seller, firstWh: first.energyWh });
        expect(first.seller, "the earlier of the tied asks sells in full").to.equal(w.wallets[order[0]].address);
      }
      expect(outcomes[0].price).to.equal(outcomes[1].price);
      expect(outcomes[0].firstWh).to.equal(5_000n);
      expect(outcomes[0].firstSeller).to.not.equal(outcomes[1].firstSeller);
    });
  });

  describe("DoubleAuction: dust orders", () => {
    const CAP = 300;
    const dustWorld = () => auctionWorld(CAP + 1, CAP);

    it(`fills a cap of ${CAP} orders of 1 Wh, refuses order ${CAP + 1}, and closes every round under the ${TX_GAS_CAP} gas cap`, async () => {
      const w = await loadFixture(dustWorld);
      const placed: BookOrder[] = [];
      for (let k = 0; k < CAP; k++) {
        // sellers and buyers alternate; quotes spread over every tick between the tariffs, with ties
        const side = (k % 2) as 0 | 1;
        const o = { side, energyWh: 1n, price: FEED_IN + BigInt((k * 37) % 71) * TICK };
        await place(w.auction, w.wallets[k], o);
        placed.push(o);
      }
      await expect(w.auction.connect(w.wallets[CAP]).placeOrder(1, SELLER, 1n, FEED_IN))
        .to.be.revertedWithCustomError(w.auction, "AuctionOrderCapReached")
        .withArgs(1, CAP);
      expect(await w.auction.orderCount(1)).to.equal(BigInt(CAP));
      expect(await w.escrow.locked(w.wallets[CAP].address)).to.equal(0n);

      const sellers = meritOrder(placed, SELLER);
      const buyers = meritOrder(placed, BUYER);
      const round1 = (await (await w.auction.closeRound(1, sellers, buyers)).wait())!.gasUsed;
      const ending = (await (await w.auction.closeRound(1, sellers, buyers)).wait())!.gasUsed;
      expect((await w.auction.state(1)).phase).to.equal(2n); // Cleared
      console.log(
        `      closeRound with ${CAP} dust orders: round 1 ${round1} gas, ending round ${ending} gas ` +
          `(${(Number(ending) / CAP).toFixed(0)} gas per order; cap ${TX_GAS_CAP})`,
      );
      if (!UNDER_COVERAGE) {
        expect(round1).to.be.lessThan(TX_GAS_CAP);
        expect(ending).to.be.lessThan(TX_GAS_CAP);
      }
    });

    // An auction must be able to end: every round of a full book must fit one transaction.
    it("MAX_ORDER_CAP fits the measured largest book that can end in one transaction", async () => {
      const w = await loadFixture(bookWorld);
      const baseline = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "bench", "baseline.json"), "utf8")) as {
        metrics: { name: string; value: number | null }[];
      };
      const maxOrders = baseline.metrics.find((m) => m.name === "clearing.maxOrdersPerTx")!.value!;
      expect(Number(await w.auction.MAX_ORDER_CAP())).to.be.at.most(maxOrders);
    });
  });

  describe("EnergyEscrow: signature replay", () => {
    it("a reading signed for trade A, submitted for trade B: EscrowWrongSigner, nothing recorded", async () => {
      const f = await loadFixture(twoMetersFixture);
      const s = await signedReading(f.escrow, f.buyer.meter, f.tradeId, "user", R, 1n);
      const forged = { ...s.reading, tradeId: f.other.tradeId };
      const recovered = recoverReadingSigner(await f.escrow.getAddress(), f.chainId, forged, s.signature);
      const before = await readingState(f);
      await expect(f.escrow.submitReading(forged, s.signature))
        .to.be.revertedWithCustomError(f.escrow, "EscrowWrongSigner")
        .withArgs(f.other.tradeId, 1, f.buyer.meter.address, recovered);
      expect(await readingState(f)).to.deep.equal(before);
      // the genuine reading still goes to trade A, once
      await f.escrow.submitReading(s.reading, s.signature);
      await expect(f.escrow.submitReading(s.reading, s.signature))
        .to.be.revertedWithCustomError(f.escrow, "EscrowReplayedReading")
        .withArgs(f.buyer.meter.address, 1n, 1n);
    });

    it("a reading of meter M1 replayed for a trade metered by M2: EscrowWrongSigner(expected M2, recovered M1)", async () => {
      const f = await loadFixture(twoMetersFixture);
      // M1 signs a perfectly formed reading naming trade B's provider side: only M2 may sign it
      const s = await signedReading(f.escrow, f.seller.meter, f.other.tradeId, "provider", R, 1n);
      const before = await readingState(f);
      await expect(f.escrow.submitReading(s.reading, s.signature))
        .to.be.revertedWithCustomError(f.escrow, "EscrowWrongSigner")
        .withArgs(f.other.tradeId, 0, f.m2.meter.address, f.seller.meter.address);
      // and M1's valid reading of trade A cannot be relabelled for B either
      const a = await signedReading(f.escrow, f.seller.meter, f.tradeId, "provider", R, 2n);
      const relabelled = { ...a.reading, tradeId: f.other.tradeId };
      await expect(f.escrow.submitReading(relabelled, a.signature))
        .to.be.revertedWithCustomError(f.escrow, "EscrowWrongSigner")
        .withArgs(
          f.other.tradeId,
          0,
          f.m2.meter.address,
          recoverReadingSigner(await f.escrow.getAddress(), f.chainId, relabelled, a.signature),
        );
      expect(await readingState(f)).to.deep.equal(before);
    });

    it("a reading for another chainId: EscrowWrongChain, nothing recorded", async () => {
      const f = await loadFixture(twoMetersFixture);
      const s = await signedReading(f.escrow, f.seller.meter, f.tradeId, "provider", R, 1n, 11_155_111n);
      const before = await readingState(f);
      await expect(f.escrow.submitReading(s.reading, s.signature))
        .to.be.revertedWithCustomError(f.escrow, "EscrowWrongChain")
        .withArgs(f.chainId, 11_155_111n);
      expect(await readingState(f)).to.deep.equal(before);
    });

    it("a reading whose EIP-712 domain names another verifying contract (a second escrow): EscrowWrongSigner", async () => {
      const f = await loadFixture(twoMetersFixture);
      // a second escrow on the same chain, wired to the same registry, token and certificates
      const second = await hre.ethers.deployContract("EnergyEscrow", [
        f.operator.address,
        await f.registry.getAddress(),
        await f.token.getAddress(),
        await f.certificates.getAddress(),
        { lossToleranceBps: 500, rewardPerTrade: 0 },
      ]);
      const otherEscrow = await second.getAddress();
      const reading = { tradeId: f.tradeId, side: 0, energyWh: R, sequence: 1n, chainId: f.chainId };
      const s = await signReading(f.seller.meter, otherEscrow, reading);
      const recovered = recoverReadingSigner(await f.escrow.getAddress(), f.chainId, reading, s.signature);
      expect(recovered).to.not.equal(f.seller.meter.address);
      const before = await readingState(f);
      await expect(f.escrow.submitReading(reading, s.signature))
        .to.be.revertedWithCustomError(f.escrow, "EscrowWrongSigner")
        .withArgs(f.tradeId, 0, f.seller.meter.address, recovered);
      expect(await readingState(f)).to.deep.equal(before);
    });
  });

  describe("griefing: one participant never blocks another's settlement or withdrawal", () => {
    it("a buyer contract that rejects ERC-1155: settlement goes through and the seller withdraws its payout", async () => {
      const f = await loadFixture(contractBuyerFixture);
      await time.increaseTo(f.t.terms.deliveryStart);
      await submit(f.escrow, f.seller.meter, f.t.tradeId, "provider", R, 1n);
      await submit(f.escrow, f.meter, f.t.tradeId, "user", R, 1n);
      await time.increaseTo(f.t.terms.deliveryEnd);
      await expect(f.escrow.connect(f.stranger).settle(f.t.tradeId))
        .to.emit(f.escrow, "CertificatesDeferred")
        .withArgs(f.t.tradeId, f.walletAddress, 24n, R)
        .and.to.emit(f.escrow, "TradeSettled");
      const payout = await f.escrow.freeBalanceOf(f.seller.payee);
      expect(payout).to.be.greaterThan(0n);
      const before = await f.token.balanceOf(f.seller.payee);
      await f.escrow.connect(f.sellerPayee).withdraw(payout);
      expect(await f.token.balanceOf(f.seller.payee)).to.equal(before + payout);
      await expectSolvent(f.escrow, f.token);
    });

    it("a silent buyer: anyone settles after the deadline and the seller withdraws", async () => {
      const f = await loadFixture(openTradeFixture);
      await time.increaseTo(f.terms.deliveryStart);
      await submit(f.escrow, f.seller.meter, f.tradeId, "provider", R, 1n);
      await time.increaseTo(f.terms.deliveryEnd);
      await expect(f.escrow.connect(f.stranger).settle(f.tradeId)).to.be.revertedWithCustomError(
        f.escrow,
        "EscrowNotSettleable",
      );
      await time.increaseTo(f.terms.settlementDeadline);
      await expect(f.escrow.connect(f.stranger).settle(f.tradeId))
        .to.emit(f.escrow, "TradeSettled")
        .withArgs(f.tradeId, f.stranger.address, R, R, false, true, 6_400_000n, 0n);
      const payout = await f.escrow.freeBalanceOf(f.seller.payee);
      await f.escrow.connect(f.sellerPayee).withdraw(payout);
      expect(await f.escrow.freeBalanceOf(f.seller.payee)).to.equal(0n);
      expect(await f.escrow.lockedBalanceOf(f.seller.signer.address)).to.equal(0n);
      await expectSolvent(f.escrow, f.token);
    });

    it("a party with 60 open trades does not change another party's withdrawal (same gas), and they settle in batches", async () => {
      const f = await loadFixture(partiesFixture);
      await f.token.connect(f.operator).mint(f.stranger.address, 10n * GEUR);
      await f.token.connect(f.stranger).approve(await f.escrow.getAddress(), 10n * GEUR);
      await f.escrow.connect(f.stranger).deposit(10n * GEUR);
      const withdrawGas = async () => (await (await f.escrow.connect(f.stranger).withdraw(1n)).wait())!.gasUsed;
      await withdrawGas(); // the first one also creates the stranger's token balance slot
      const gasBefore = await withdrawGas();
      const N = 60;
      const ids: bigint[] = [];
      let last;
      for (let i = 0; i < N; i++) {
        last = await openTrade(f.escrow, f.market, f.seller.signer.address, f.buyer.signer.address, {
          energyWh: 10n,
          sellerMargin: 1n,
          buyerMargin: 1n,
        });
        ids.push(last.tradeId);
      }
      expect((await f.registry.participant(f.seller.signer.address)).openTrades).to.equal(BigInt(N));
      expect(await withdrawGas()).to.equal(gasBefore);
      // the busy seller's counterparty withdraws its free funds at once, too
      const buyerFree = await f.escrow.freeBalanceOf(f.buyer.signer.address);
      await f.escrow.connect(f.buyer.signer).withdraw(buyerFree);
      expect(await f.escrow.freeBalanceOf(f.buyer.signer.address)).to.equal(0n);
      // after the deadline anyone settles them all, in bounded batches
      await time.increaseTo(last!.terms.settlementDeadline);
      let gas = 0n;
      for (let k = 0; k < N; k += 30) gas += (await (await f.escrow.settleBatch(ids.slice(k, k + 30))).wait())!.gasUsed;
      console.log(`      settleBatch of silent trades: ${(gas / BigInt(N)).toString()} gas per trade`);
      expect(await f.escrow.dueTrades(0, 100)).to.deep.equal([]);
      expect((await f.registry.participant(f.seller.signer.address)).openTrades).to.equal(0n);
      await expectSolvent(f.escrow, f.token);
    });
  });
});
