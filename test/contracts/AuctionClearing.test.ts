import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-toolbox/network-helpers";
import { clearMarket, meritOrder, type MarketKind, type Order } from "../../src/core/auction";
import { seededRandom, type Random } from "../../src/core/random";
import type { AuctionClearingHarness } from "../../typechain-types";
import { UNDER_COVERAGE } from "../helpers/coverage";

const SEED = Number(process.env.CLEARING_SEED ?? 20261121);
// Coverage needs each path once; the plain test run checks 1000 books.
const BOOKS = UNDER_COVERAGE ? 100 : 1000;
const MARKETS: MarketKind[] = ["empty", "buyer", "seller", "balanced"];

/**
 * A random book that hits every branch: few distinct prices (many equal quotes), equal first
 * quotes, cancelled orders, one-sided books, and books nudged into balance.
 */
function randomBook(random: Random): { orders: Order[]; cancelled: boolean[] } {
  const size = random.int(0, 14);
  const orders: Order[] = [];
  const cancelled: boolean[] = [];
  const oneSide = random.next() < 0.05 ? (random.next() < 0.5 ? "seller" : "buyer") : null;
  for (let i = 0; i < size; i++) {
    const side = oneSide ?? (random.next() < 0.5 ? "seller" : "buyer");
    const reservation = BigInt(random.int(30, 36)) * 10_000n;
    const quote = side === "seller" ? reservation + BigInt(random.int(0, 2)) * 10_000n : reservation - BigInt(random.int(0, 2)) * 10_000n;
    orders.push({ id: String(i), side, energyWh: BigInt(random.int(1, 6) * 500), quote, reservation, seq: i });
    cancelled.push(random.next() < 0.1);
  }
  if (random.next() < 0.2) balance(orders, cancelled);
  return { orders, cancelled };
}

/** Makes supply equal demand by growing the last active order of the short side. */
function balance(orders: Order[], cancelled: boolean[]): void {
  const total = (side: string) =>
    orders.reduce((sum, o, i) => (o.side === side && !cancelled[i] ? sum + o.energyWh : sum), 0n);
  const gap = total("seller") - total("buyer");
  const shortSide = gap > 0n ? "buyer" : "seller";
  const index = orders.map((o, i) => (o.side === shortSide && !cancelled[i] ? i : -1)).filter((i) => i >= 0).pop();
  if (index === undefined || gap === 0n) return;
  orders[index] = { ...orders[index], energyWh: orders[index].energyWh + (gap > 0n ? gap : -gap) };
}

function toChain(orders: Order[], cancelled: boolean[]) {
  return orders.map((o, i) => ({
    energyWh: o.energyWh,
    quote: o.quote,
    firstQuote: o.reservation,
    side: o.side === "seller" ? 0 : 1,
    cancelled: cancelled[i],
    participant: ethers.ZeroAddress,
  }));
}

async function deployHarness() {
  return (await ethers.deployContract("AuctionClearingHarness")) as unknown as AuctionClearingHarness;
}

describe("AuctionClearing (Solidity) agrees with the TypeScript reference clearing", () => {
  it(`on ${BOOKS} random books (seed ${SEED})`, async function () {
    const harness = await loadFixture(deployHarness);
    const random = seededRandom(SEED);
    const seen = new Set<MarketKind>();
    for (let book = 0; book < BOOKS; book++) {
      const { orders, cancelled } = randomBook(random);
      const active = orders.filter((_, i) => !cancelled[i]);
      const expected = clearMarket(active);
      seen.add(expected.market);
      const sellers = meritOrder(active, "seller").map((i) => Number(active[i].id));
      const buyers = meritOrder(active, "buyer").map((i) => Number(active[i].id));
      const context = `book ${book} (seed ${SEED}): ${JSON.stringify(active, (_k, v) => (typeof v === "bigint" ? Number(v) : v))}`;

      const chainOrders = toChain(orders, cancelled);
      const [sortedSellers, sortedBuyers] = await harness.sort.staticCall(chainOrders);
      expect(sortedSellers.map(Number), `on-chain sort, ${context}`).to.deep.equal(sellers);
      expect(sortedBuyers.map(Number), `on-chain sort, ${context}`).to.deep.equal(buyers);

      const [result, sellerAllocations, buyerAllocations] = await harness.clear.staticCall(chainOrders, sellers, buyers);
      expect(MARKETS[Number(result.market)], context).to.equal(expected.market);
      expect(result.price, context).to.equal(expected.price);
      expect(result.supplyWh, context).to.equal(expected.supplyWh);
      expect(result.demandWh, context).to.equal(expected.demandWh);
      if (expected.marginal) {
        expect(Number(result.marginal), context).to.equal(expected.marginal.position);
        expect(Number(result.priceSetter), context).to.equal(expected.priceSetter!.position);
      }
      expect(sellerAllocations, context).to.deep.equal(expected.sellerOrder.map((id) => expected.allocations.get(id)));
      expect(buyerAllocations, context).to.deep.equal(expected.buyerOrder.map((id) => expected.allocations.get(id)));
    }
    expect([...seen].sort()).to.deep.equal([...MARKETS].sort(), "every market type was exercised");
  });
});
