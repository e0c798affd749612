/**
 * The competing ("long") side of a Nash market in a fast, normalised form.
 *
 * Why normalised: a seller's market is the mirror image of a buyer's market. Negating the
 * buyers' prices turns "bids descending, higher maximum first, utility (max - price)" into
 * "asks ascending, lower minimum first, utility (price - min)", so one best-reply routine
 * serves both. Who competes: sellers in a buyer's market, buyers in a seller's market, and
 * sellers in a balanced market (SPEC is silent there; the price is the last seller's ask, so
 * the sellers are the ones whose quotes move it, while buyers cannot change anything).
 *
 * Why numbers instead of bigint: prices become whole tick indices and energy stays in Wh, and
 * nashMarketProblems guarantees (tariff span in ticks) x (total Wh) < 2^53, so every sum,
 * difference and utility below is an exact integer in a double, and much faster than bigint.
 */
import { effectiveReservation, marketKindOf } from "./nashMarket";
import type { MarketKind, NashMarket } from "./types";

export interface LongSide {
  readonly kind: Exclude<MarketKind, "empty">;
  /** +1 when sellers compete (tick index as is), -1 when buyers compete (tick index negated). */
  readonly orientation: 1 | -1;
  readonly tick: bigint;
  readonly size: number;
  /** Competitor c is market.participants[members[c]]. */
  readonly members: Int32Array;
  /** Participant index -> competitor, or -1 for the short side. */
  readonly competitorOf: Int32Array;
  readonly energyWh: Float64Array;
  /** Effective reservation, normalised ticks. */
  readonly reservation: Float64Array;
  readonly seq: Float64Array;
  /** Normalised quote bounds from the tariffs. */
  readonly lowest: number;
  readonly highest: number;
  /** What the short side takes in full (the demand D in a buyer's market, the supply S otherwise). */
  readonly quotaWh: number;
}

/** Null when one side is empty: nobody competes and nothing trades. */
export function buildLongSide(market: NashMarket): LongSide | null {
  const kind = marketKindOf(market);
  if (kind === "empty") return null;
  const competingSide = kind === "seller" ? "buyer" : "seller";
  const orientation = kind === "seller" ? -1 : 1;
  const members: number[] = [];
  const competitorOf = new Int32Array(market.participants.length).fill(-1);
  let quotaWh = 0;
  market.participants.forEach((p, i) => {
    if (p.side === competingSide) {
      competitorOf[i] = members.length;
      members.push(i);
    } else quotaWh += Number(p.energyWh);
  });
  const size = members.length;
  const energyWh = new Float64Array(size);
  const reservation = new Float64Array(size);
  const seq = new Float64Array(size);
  members.forEach((i, c) => {
    const p = market.participants[i];
    energyWh[c] = Number(p.energyWh);
    reservation[c] = orientation * Number(effectiveReservation(market, p) / market.tick);
    seq[c] = p.seq;
  });
  const bounds = [Number(market.feedInTariff / market.tick), Number(market.retailTariff / market.tick)].map(
    (t) => orientation * t,
  );
  return {
    kind,
    orientation,
    tick: market.tick,
    size,
    members: Int32Array.from(members),
    competitorOf,
    energyWh,
    reservation,
    seq,
    lowest: Math.min(bounds[0], bounds[1]),
    highest: Math.max(bounds[0], bounds[1]),
    quotaWh,
  };
}

export function toNormalised(side: LongSide, price: bigint): number {
  return side.orientation * Number(price / side.tick);
}

export function fromNormalised(side: LongSide, ticks: number): bigint {
  return BigInt(side.orientation * ticks) * side.tick;
}

/** A profile of normalised quotes, ranked and cleared. */
export interface Profile {
  readonly quotes: Float64Array;
  /** Competitors in merit order: quote, then reservation, then seq, all ascending. */
  readonly order: readonly number[];
  /** Competitor -> its position in `order`. */
  readonly position: Int32Array;
  /** prefixWh[k] = energy of the first k competitors in merit order. */
  readonly prefixWh: Float64Array;
  /** Position of m, the last competitor with a quota. */
  readonly marginalPosition: number;
  /** Normalised clearing price. */
  readonly price: number;
}

/**
 * Ranks and clears a profile. `previousOrder`, when given, seeds the sort: between rounds only
 * a few quotes move, and the engine's TimSort is close to linear on nearly sorted input.
 */
export function rankProfile(side: LongSide, quotes: Float64Array, previousOrder?: readonly number[]): Profile {
  const { reservation, seq, energyWh, size } = side;
  const order = previousOrder ? previousOrder.slice() : Array.from({ length: size }, (_, c) => c);
  order.sort((a, b) => quotes[a] - quotes[b] || reservation[a] - reservation[b] || seq[a] - seq[b]);
  const position = new Int32Array(size);
  const prefixWh = new Float64Array(size + 1);
  for (let k = 0; k < size; k++) {
    position[order[k]] = k;
    prefixWh[k + 1] = prefixWh[k] + energyWh[order[k]];
  }
  const marginalPosition = firstReaching(prefixWh, side.quotaWh) - 1;
  // m sold exactly all it had: the price is the quote of m+1; without an m+1 (balanced market)
  // it is m's own quote, i.e. the last seller's ask.
  const exhausted = prefixWh[marginalPosition + 1] === side.quotaWh;
  const setter = exhausted && marginalPosition + 1 < size ? marginalPosition + 1 : marginalPosition;
  return { quotes, order, position, prefixWh, marginalPosition, price: quotes[order[setter]] };
}

/** Smallest k >= 1 with prefixWh[k] >= quotaWh (quotaWh is positive and at most the total). */
function firstReaching(prefixWh: Float64Array, quotaWh: number): number {
  let low = 1;
  let high = prefixWh.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (prefixWh[mid] >= quotaWh) high = mid;
    else low = mid + 1;
  }
  return low;
}

export function allocationWh(side: LongSide, profile: Profile, c: number): number {
  const p = profile.position[c];
  if (p < profile.marginalPosition) return side.energyWh[c];
  if (p === profile.marginalPosition) return side.quotaWh - profile.prefixWh[p];
  return 0;
}

/** Normalised utility in ticks x Wh: (price - reservation) x traded. */
export function utilityOf(side: LongSide, profile: Profile, c: number): number {
  return (profile.price - side.reservation[c]) * allocationWh(side, profile, c);
}
