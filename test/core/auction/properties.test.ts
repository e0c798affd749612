/**
 * Property tests with a FIXED seed: a failure prints the seed and the shrunk counterexample
 * (fast-check's report), and re-running replays exactly the same cases.
 */
import { expect } from "chai";
import fc from "fast-check";
import {
  allowedQuoteRange,
  bestReply,
  bruteForceBestReply,
  checkNash,
  checkNashBruteForce,
  clearMarket,
  clearWithMeritOrder,
  marketKindOf,
  meritOrder,
  ordersFor,
  roundSnapshots,
  solveNash,
  tradesFromClearing,
  verifyMeritOrder,
  type NashMarket,
  type Order,
  type Side,
} from "../../../src/core/auction";

const SEED = 42;
const side = fc.constantFrom<Side>("seller", "buyer");

/** Up to 12 orders with few distinct prices, so that ties are common. */
const orderLists = fc
  .array(
    fc.record({
      side,
      energyWh: fc.integer({ min: 1, max: 20 }),
      quote: fc.integer({ min: 0, max: 8 }),
      reservation: fc.integer({ min: 0, max: 8 }),
    }),
    { maxLength: 12 },
  )
  .map((raw): Order[] => {
    const seqs = { seller: 0, buyer: 0 };
    return raw.map((o, i) => ({
      id: `o${i}`,
      side: o.side,
      energyWh: BigInt(o.energyWh),
      quote: BigInt(o.quote),
      reservation: BigInt(o.reservation),
      seq: seqs[o.side]++,
    }));
  });

interface MarketWithProfile {
  readonly market: NashMarket;
  /** A random allowed quote for every participant. */
  readonly profile: readonly bigint[];
}

/** Small Nash markets (reservations may lie outside the tariffs) with a random allowed profile. */
const marketsWithProfile = fc
  .record({
    tick: fc.constantFrom(1n, 10_000n),
    feedInTicks: fc.integer({ min: 0, max: 5 }),
    spanTicks: fc.integer({ min: 1, max: 12 }),
    participants: fc.array(
      fc.record({
        side,
        energyWh: fc.integer({ min: 1, max: 12 }),
        reservationOffset: fc.integer({ min: -2, max: 14 }),
        pick: fc.integer({ min: 0, max: 1000 }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
  })
  .map(({ tick, feedInTicks, spanTicks, participants }): MarketWithProfile => {
    const seqs = { seller: 0, buyer: 0 };
    const market: NashMarket = {
      tick,
      feedInTariff: BigInt(feedInTicks) * tick,
      retailTariff: BigInt(feedInTicks + spanTicks) * tick,
      participants: participants.map((p, i) => ({
        id: `p${i}`,
        side: p.side,
        energyWh: BigInt(p.energyWh),
        reservation: BigInt(Math.max(0, feedInTicks + p.reservationOffset)) * tick,
        seq: seqs[p.side]++,
      })),
    };
    const profile = market.participants.map((p, i) => {
      const { low, high } = allowedQuoteRange(market, p);
      const ticks = (high - low) / tick + 1n;
      return low + ((BigInt(participants[i].pick) * ticks) / 1001n) * tick;
    });
    return { market, profile };
  });

function competitors(market: NashMarket): number[] {
  const kind = marketKindOf(market);
  if (kind === "empty") return [];
  const competing: Side = kind === "seller" ? "buyer" : "seller";
  return market.participants.flatMap((p, i) => (p.side === competing ? [i] : []));
}

describe("auction: properties (fast-check, seed 42)", () => {
  it("allocations never exceed the orders and both sides trade min(supply, demand)", () => {
    fc.assert(
      fc.property(orderLists, (list) => {
        const clearing = clearMarket(list);
        let sold = 0n;
        let bought = 0n;
        for (const o of list) {
          const traded = clearing.allocations.get(o.id) ?? -1n;
          expect(traded >= 0n && traded <= o.energyWh, o.id).to.equal(true);
          if (o.side === "seller") sold += traded;
          else bought += traded;
        }
        expect(sold).to.equal(bought);
        const expected =
          clearing.market === "empty"
            ? 0n
            : clearing.supplyWh < clearing.demandWh
            ? clearing.supplyWh
            : clearing.demandWh;
        expect(sold).to.equal(expected);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("bilateral trades add up to every order's allocation", () => {
    fc.assert(
      fc.property(orderLists, (list) => {
        const clearing = clearMarket(list);
        const trades = tradesFromClearing(clearing);
        const perOrder = new Map<string, bigint>();
        for (const t of trades) {
          expect(t.energyWh > 0n).to.equal(true);
          expect(t.price).to.equal(clearing.price);
          perOrder.set(t.sellerId, (perOrder.get(t.sellerId) ?? 0n) + t.energyWh);
          perOrder.set(t.buyerId, (perOrder.get(t.buyerId) ?? 0n) + t.energyWh);
        }
        for (const o of list) expect(perOrder.get(o.id) ?? 0n, o.id).to.equal(clearing.allocations.get(o.id));
        expect(trades.length).to.be.at.most(Math.max(0, list.length - 1));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("a verified caller-supplied merit order clears exactly like sorting, and only the sorted one is accepted", () => {
    const withShuffles = orderLists.chain((list) => {
      const sellers = list.flatMap((o, i) => (o.side === "seller" ? [i] : []));
      const buyers = list.flatMap((o, i) => (o.side === "buyer" ? [i] : []));
      return fc.tuple(
        fc.constant(list),
        fc.shuffledSubarray(sellers, { minLength: sellers.length, maxLength: sellers.length }),
        fc.shuffledSubarray(buyers, { minLength: buyers.length, maxLength: buyers.length }),
      );
    });
    fc.assert(
      fc.property(withShuffles, ([list, sellerShuffle, buyerShuffle]) => {
        const sortedSellers = meritOrder(list, "seller");
        const sortedBuyers = meritOrder(list, "buyer");
        expect(clearWithMeritOrder(list, sortedSellers, sortedBuyers)).to.deep.equal(clearMarket(list));
        const accepted = verifyMeritOrder(list, sellerShuffle, "seller").valid;
        expect(accepted).to.equal(sellerShuffle.every((index, k) => index === sortedSellers[k]));
        if (accepted && verifyMeritOrder(list, buyerShuffle, "buyer").valid) {
          expect(clearWithMeritOrder(list, sellerShuffle, buyerShuffle)).to.deep.equal(clearMarket(list));
        }
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("the exact best reply equals a brute-force scan over every tick", () => {
    fc.assert(
      fc.property(marketsWithProfile, ({ market, profile }) => {
        for (const i of competitors(market)) {
          expect(bestReply(market, profile, i), market.participants[i].id).to.deep.equal(
            bruteForceBestReply(market, profile, i),
          );
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("the fast Nash check agrees with the brute-force oracle on any profile", () => {
    fc.assert(
      fc.property(marketsWithProfile, ({ market, profile }) => {
        const fast = checkNash(market, profile);
        const oracle = checkNashBruteForce(market, profile);
        expect(fast.isNash).to.equal(oracle.isNash);
        expect(fast.deviations.map((d) => d.id)).to.deep.equal(oracle.deviations.map((d) => d.id));
        expect(fast.deviations.map((d) => d.betterUtility)).to.deep.equal(
          oracle.deviations.map((d) => d.betterUtility),
        );
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("random markets converge to a profile that passes the brute-force Nash check", () => {
    fc.assert(
      fc.property(marketsWithProfile, ({ market }) => {
        const result = solveNash(market);
        expect(result.status).to.equal("converged");
        const oracle = checkNashBruteForce(market, result.quotes);
        expect(oracle.deviations).to.deep.equal([]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("every published round equals the reference clearing of that round's quotes", () => {
    fc.assert(
      fc.property(marketsWithProfile, ({ market }) => {
        for (const snapshot of roundSnapshots(solveNash(market).rounds)) {
          const clearing = clearMarket(ordersFor(market, snapshot.quotes));
          expect(snapshot.price).to.equal(clearing.price);
          expect(snapshot.allocationsWh).to.deep.equal(market.participants.map((p) => clearing.allocations.get(p.id)));
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
