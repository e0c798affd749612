import type { Clearing, Trade } from "./types";

/**
 * Turns a clearing into bilateral trades by walking both merit-ordered stacks with two
 * pointers: the cheapest seller with energy left serves the highest bidder with need left.
 * Orders with a zero allocation are skipped. Every pass of the loop either moves a pointer or
 * empties the current seller or buyer, so it ends within 2 x (sellers + buyers) passes and
 * yields at most sellers + buyers - 1 trades.
 * Throws if the two sides' allocations do not add up to the same total: such a clearing is
 * not one that clearMarket produces, and settling it would create or lose energy.
 */
export function tradesFromClearing(clearing: Clearing): Trade[] {
  const trades: Trade[] = [];
  const sellers = clearing.sellerOrder;
  const buyers = clearing.buyerOrder;
  const allocationOf = (id: string): bigint => clearing.allocations.get(id) ?? 0n;
  let s = 0;
  let b = 0;
  let sellerLeft = sellers.length > 0 ? allocationOf(sellers[0]) : 0n;
  let buyerLeft = buyers.length > 0 ? allocationOf(buyers[0]) : 0n;
  while (s < sellers.length && b < buyers.length) {
    if (sellerLeft === 0n) {
      s++;
      if (s < sellers.length) sellerLeft = allocationOf(sellers[s]);
      continue;
    }
    if (buyerLeft === 0n) {
      b++;
      if (b < buyers.length) buyerLeft = allocationOf(buyers[b]);
      continue;
    }
    const energyWh = sellerLeft < buyerLeft ? sellerLeft : buyerLeft;
    trades.push({ sellerId: sellers[s], buyerId: buyers[b], energyWh, price: clearing.price });
    sellerLeft -= energyWh;
    buyerLeft -= energyWh;
  }
  assertNothingLeft(sellers, s, sellerLeft, allocationOf, "seller");
  assertNothingLeft(buyers, b, buyerLeft, allocationOf, "buyer");
  return trades;
}

function assertNothingLeft(
  ids: readonly string[],
  from: number,
  leftAtFrom: bigint,
  allocationOf: (id: string) => bigint,
  side: string,
): void {
  let left = from < ids.length ? leftAtFrom : 0n;
  for (let k = from + 1; k < ids.length; k++) left += allocationOf(ids[k]);
  if (left !== 0n) throw new RangeError(`tradesFromClearing: ${left} Wh of ${side} allocations have no counterparty`);
}
