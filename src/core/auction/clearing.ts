/**
 * The integer reference clearing of SPEC section 3, in bigint only. A Solidity library twins it
 * exactly, so every branch here is a branch there: keep them in step.
 */
import { meritOrder, verifyMeritOrder } from "./meritOrder";
import { assertValidOrders, InvalidOrderError } from "./orderValidation";
import type { Clearing, MarketKind, Order, RankedOrder, Side } from "./types";

/** Clears `orders`, sorting both sides into merit order first. */
export function clearMarket(orders: readonly Order[]): Clearing {
  assertValidOrders(orders);
  return clearRanked(orders, meritOrder(orders, "seller"), meritOrder(orders, "buyer"));
}

/**
 * Clears `orders` in a caller-supplied merit order (indices into `orders`), after verifying it
 * with verifyMeritOrder. This is the path the contract takes: O(n) checks instead of a sort.
 * Throws InvalidOrderError naming the broken rule.
 */
export function clearWithMeritOrder(
  orders: readonly Order[],
  sellerPermutation: readonly number[],
  buyerPermutation: readonly number[],
): Clearing {
  assertValidOrders(orders);
  for (const [side, permutation] of [
    ["seller", sellerPermutation],
    ["buyer", buyerPermutation],
  ] as const) {
    const check = verifyMeritOrder(orders, permutation, side);
    if (!check.valid) throw new InvalidOrderError(`${side} merit order: ${check.message}`);
  }
  return clearRanked(orders, sellerPermutation, buyerPermutation);
}

/** Fills the long side's quotas in merit order; the short side trades in full. */
function clearRanked(orders: readonly Order[], sellers: readonly number[], buyers: readonly number[]): Clearing {
  const supplyWh = totalEnergy(orders, sellers);
  const demandWh = totalEnergy(orders, buyers);
  const allocations = new Map<string, bigint>();
  for (const order of orders) allocations.set(order.id, 0n);
  const base = {
    allocations,
    sellerOrder: sellers.map((i) => orders[i].id),
    buyerOrder: buyers.map((i) => orders[i].id),
    supplyWh,
    demandWh,
  };
  if (sellers.length === 0 || buyers.length === 0) {
    return { ...base, market: "empty", price: 0n, marginal: null, priceSetter: null };
  }
  if (supplyWh === demandWh) {
    for (const i of [...sellers, ...buyers]) allocations.set(orders[i].id, orders[i].energyWh);
    const last = sellers.length - 1;
    const lastSeller = ranked(orders, sellers, last, "seller");
    return {
      ...base,
      market: "balanced",
      price: orders[sellers[last]].quote,
      marginal: lastSeller,
      priceSetter: lastSeller,
    };
  }
  const market: MarketKind = supplyWh > demandWh ? "buyer" : "seller";
  const [longSide, shortSide, longName]: [readonly number[], readonly number[], Side] =
    market === "buyer" ? [sellers, buyers, "seller"] : [buyers, sellers, "buyer"];
  for (const i of shortSide) allocations.set(orders[i].id, orders[i].energyWh);
  const quotaWh = market === "buyer" ? demandWh : supplyWh;
  const { marginalPosition, exhausted } = fillQuotas(orders, longSide, quotaWh, allocations);
  // The long side holds strictly more than the quota, so an exhausted m always has an m+1.
  const setterPosition = exhausted ? marginalPosition + 1 : marginalPosition;
  return {
    ...base,
    market,
    price: orders[longSide[setterPosition]].quote,
    marginal: ranked(orders, longSide, marginalPosition, longName),
    priceSetter: ranked(orders, longSide, setterPosition, longName),
  };
}

/**
 * Gives quotas in merit order until quotaWh is used up. Returns the position of m, the last
 * order with a quota, and whether m's quota took all of its energy. quotaWh must be positive
 * and below the side's total, so the loop always stops inside the array.
 */
function fillQuotas(
  orders: readonly Order[],
  longSide: readonly number[],
  quotaWh: bigint,
  allocations: Map<string, bigint>,
): { marginalPosition: number; exhausted: boolean } {
  let remainingWh = quotaWh;
  for (let position = 0; position < longSide.length; position++) {
    const order = orders[longSide[position]];
    const quota = order.energyWh < remainingWh ? order.energyWh : remainingWh;
    allocations.set(order.id, quota);
    remainingWh -= quota;
    if (remainingWh === 0n) return { marginalPosition: position, exhausted: quota === order.energyWh };
  }
  throw new Error("fillQuotas: the long side holds less energy than the quota");
}

function totalEnergy(orders: readonly Order[], indices: readonly number[]): bigint {
  let total = 0n;
  for (const i of indices) total += orders[i].energyWh;
  return total;
}

function ranked(orders: readonly Order[], indices: readonly number[], position: number, side: Side): RankedOrder {
  return { id: orders[indices[position]].id, side, position };
}

/** What `order` earns from a clearing: (price - min) x sold for a seller, (max - price) x bought for a buyer; price units x Wh. */
export function orderUtility(order: Order, clearing: Clearing): bigint {
  const tradedWh = clearing.allocations.get(order.id) ?? 0n;
  const margin = order.side === "seller" ? clearing.price - order.reservation : order.reservation - clearing.price;
  return margin * tradedWh;
}
