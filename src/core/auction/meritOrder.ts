import type { Order, Side } from "./types";

/** A comparator in the Array.prototype.sort sense: negative means "a ranks first". */
export type Ordering = -1 | 0 | 1;

function compareBigint(a: bigint, b: bigint): Ordering {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumber(a: number, b: number): Ordering {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sellers' merit order: lower ask, then lower reservation (minimum price), then earlier seq. */
export function compareSellers(a: Order, b: Order): Ordering {
  return compareBigint(a.quote, b.quote) || compareBigint(a.reservation, b.reservation) || compareNumber(a.seq, b.seq);
}

/** Buyers' merit order: higher bid, then higher reservation (maximum price), then earlier seq. */
export function compareBuyers(a: Order, b: Order): Ordering {
  return compareBigint(b.quote, a.quote) || compareBigint(b.reservation, a.reservation) || compareNumber(a.seq, b.seq);
}

export function comparatorFor(side: Side): (a: Order, b: Order) => Ordering {
  return side === "seller" ? compareSellers : compareBuyers;
}

/** Indices into `orders` of the given side, sorted into merit order. */
export function meritOrder(orders: readonly Order[], side: Side): number[] {
  const compare = comparatorFor(side);
  const indices: number[] = [];
  for (let i = 0; i < orders.length; i++) if (orders[i].side === side) indices.push(i);
  return indices.sort((a, b) => compare(orders[a], orders[b]));
}

/** Which rule a caller-supplied merit order broke (see verifyMeritOrder). */
export type MeritOrderRule = "length" | "range" | "side" | "duplicate" | "order";

export type MeritOrderCheck =
  | { readonly valid: true }
  | { readonly valid: false; readonly rule: MeritOrderRule; readonly position: number; readonly message: string };

/**
 * Verifies a caller-supplied merit order of one side in a single O(n) pass, the way the
 * contract does before it accepts a solver's hint instead of sorting on chain.
 * `permutation` lists indices into `orders`. It is accepted iff, checked in this order:
 *   1. "length":    it has exactly as many entries as `orders` has orders of `side`;
 *   2. "range":     every entry is an integer index into `orders`;
 *   3. "side":      every entry points at an order of `side`;
 *   4. "duplicate": no entry repeats (with rules 1-3 this makes it a permutation of the side);
 *   5. "order":     every neighbour pair is STRICTLY increasing under the side's comparator.
 * Rule 5 is strict on purpose: seq is unique per side, so two distinct orders never compare
 * equal, and strictness makes the accepted permutation unique, i.e. equal to the sorted one.
 * Rules are checked entry by entry; the first failure is reported with its position.
 * The contract accepts exactly the same permutations; it reports rules 2 and 3 (and a cancelled
 * order) as AuctionMeritOrderIndex, and rule 4 as AuctionMeritOrderNotSorted, since a repeated
 * order cannot rank strictly after itself.
 */
export function verifyMeritOrder(
  orders: readonly Order[],
  permutation: readonly number[],
  side: Side,
): MeritOrderCheck {
  let sideCount = 0;
  for (const order of orders) if (order.side === side) sideCount++;
  if (permutation.length !== sideCount) {
    return fail("length", permutation.length, `expected ${sideCount} ${side} entries, got ${permutation.length}`);
  }
  const compare = comparatorFor(side);
  const seen = new Uint8Array(orders.length);
  for (let k = 0; k < permutation.length; k++) {
    const index = permutation[k];
    if (!Number.isInteger(index) || index < 0 || index >= orders.length) {
      return fail("range", k, `entry ${k} (${index}) is not an index into the ${orders.length} orders`);
    }
    if (orders[index].side !== side) {
      return fail("side", k, `entry ${k} points at ${orders[index].id}, which is not a ${side}`);
    }
    if (seen[index] === 1) return fail("duplicate", k, `entry ${k} repeats order ${orders[index].id}`);
    seen[index] = 1;
    if (k > 0 && compare(orders[permutation[k - 1]], orders[index]) >= 0) {
      return fail("order", k, `${orders[permutation[k - 1]].id} must not rank before ${orders[index].id}`);
    }
  }
  return { valid: true };
}

function fail(rule: MeritOrderRule, position: number, message: string): MeritOrderCheck {
  return { valid: false, rule, position, message: `merit order rule "${rule}" broken: ${message}` };
}
