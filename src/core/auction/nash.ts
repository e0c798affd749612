/**
 * Nash equilibrium by adaptive iteration (SPEC section 3, "Nash equilibrium by adaptive
 * iteration"), with exactly the SPEC conventions:
 *   - round 1: everyone quotes its reservation price clipped to the tariffs;
 *   - only competitors of the long side that trade in round 1 ever adjust (see longSide.ts for
 *     who competes); everybody else keeps its round-1 quote;
 *   - in every later round all adjusting participants reply at once to the quotes published in
 *     the previous round;
 *   - round 2 (the first adjustment): each takes its best reply, and among equal utilities the
 *     quote most in its own favour: the highest ask (lowest bid) that still holds its current
 *     rank if that reaches the best utility, else the highest ask (lowest bid) overall
 *     (bestReply.ts explains why the rank comes first);
 *   - rounds 3+: a participant moves (to that same best reply) only for a strictly higher
 *     utility than its current quote gives;
 *   - a seller never asks below its minimum price, a buyer never bids above its maximum;
 *   - stop when a round would change no quote.
 *
 * Rounds convention: `rounds` holds every PUBLISHED round, round 1 first; the last one holds
 * the final quotes. The round that changes nothing is a check, not a publication, and is not
 * listed. In the SPEC's worked example that is rounds 1 and 2 ("round 3: no quote changes").
 */
import { exactBestReply } from "./bestReply";
import { clearMarket, orderUtility } from "./clearing";
import { assertQuotesAllowed, assertValidNashMarket, initialQuotes, marketKindOf, ordersFor } from "./nashMarket";
import { allocationWh, buildLongSide, fromNormalised, rankProfile, toNormalised, utilityOf } from "./longSide";
import type { LongSide, Profile } from "./longSide";
import { CycleDetector, type IndexedValue, type NashRound } from "./nashRounds";
import type { MarketKind, NashMarket } from "./types";

export interface NashOptions {
  /** Most rounds published, round 1 included. */
  readonly maxRounds: number;
  /** Stop with status "cycle" when a profile of round 2 or later comes back. */
  readonly detectCycles: boolean;
  /** Re-clear the final profile with the bigint reference clearing and require the same result. */
  readonly verifyWithReference: boolean;
}

export const DEFAULT_NASH_OPTIONS: NashOptions = { maxRounds: 100, detectCycles: true, verifyWithReference: true };

/**
 * "converged": a round changed no quote. "cycle": a profile repeated, so it never will.
 * "roundLimit": maxRounds were published and the next round would still change quotes.
 */
export type NashStatus = "converged" | "cycle" | "roundLimit";

export interface NashResult {
  readonly status: NashStatus;
  readonly converged: boolean;
  readonly market: MarketKind;
  /** Every published round; replay them with roundSnapshots for full quotes per round. */
  readonly rounds: readonly NashRound[];
  /** Final quotes (= the last round's), aligned with market.participants. */
  readonly quotes: readonly bigint[];
  readonly price: bigint;
  readonly allocationsWh: readonly bigint[];
  /** Indices of the participants allowed to adjust (the long side's round-1 traders). */
  readonly adjusting: readonly number[];
}

export function solveNash(market: NashMarket, options: Partial<NashOptions> = {}): NashResult {
  const opts: NashOptions = { ...DEFAULT_NASH_OPTIONS, ...options };
  if (!Number.isInteger(opts.maxRounds) || opts.maxRounds < 1) {
    throw new RangeError(`maxRounds must be a positive integer (got ${opts.maxRounds})`);
  }
  assertValidNashMarket(market);
  const side = buildLongSide(market);
  const firstQuotes = initialQuotes(market);
  if (side === null) return emptyMarketResult(market, firstQuotes);

  let quotes = Float64Array.from(side.members, (i) => toNormalised(side, firstQuotes[i]));
  let profile = rankProfile(side, quotes);
  let traded = tradedByCompetitor(side, profile);
  const rounds: NashRound[] = [firstRound(market, side, profile, firstQuotes, traded)];
  const adjusting: number[] = [];
  for (let c = 0; c < side.size; c++) if (traded[c] > 0) adjusting.push(c);
  const cycles = new CycleDetector();
  cycles.repeats(rounds); // feeds round 1, which can never repeat
  let status: NashStatus = "converged";

  // Loop bound: one pass per round, at most opts.maxRounds passes.
  for (let round = 2; ; round++) {
    const next = quotes.slice();
    const changed: number[] = [];
    for (const c of adjusting) {
      const reply = exactBestReply(side, profile, c);
      const moves = round === 2 || reply.utility > utilityOf(side, profile, c);
      if (moves && reply.quote !== quotes[c]) {
        next[c] = reply.quote;
        changed.push(c);
      }
    }
    if (changed.length === 0) break;
    if (round > opts.maxRounds) {
      status = "roundLimit";
      break;
    }
    quotes = next;
    profile = rankProfile(side, quotes, profile.order);
    const nowTraded = tradedByCompetitor(side, profile);
    rounds.push(laterRound(side, profile, round, changed, traded, nowTraded));
    traded = nowTraded;
    if (opts.detectCycles && cycles.repeats(rounds)) {
      status = "cycle";
      break;
    }
  }

  const finalQuotes = market.participants.map((_, i) => {
    const c = side.competitorOf[i];
    return c < 0 ? firstQuotes[i] : fromNormalised(side, quotes[c]);
  });
  const allocationsWh = market.participants.map((p, i) => {
    const c = side.competitorOf[i];
    return c < 0 ? p.energyWh : BigInt(traded[c]);
  });
  const price = fromNormalised(side, profile.price);
  if (opts.verifyWithReference) verifyAgainstReference(market, finalQuotes, price, allocationsWh);
  return {
    status,
    converged: status === "converged",
    market: side.kind,
    rounds,
    quotes: finalQuotes,
    price,
    allocationsWh,
    adjusting: adjusting.map((c) => side.members[c]),
  };
}

function tradedByCompetitor(side: LongSide, profile: Profile): Float64Array {
  const traded = new Float64Array(side.size);
  for (let c = 0; c < side.size; c++) traded[c] = allocationWh(side, profile, c);
  return traded;
}

function firstRound(
  market: NashMarket,
  side: LongSide,
  profile: Profile,
  quotes: readonly bigint[],
  traded: Float64Array,
): NashRound {
  return {
    round: 1,
    price: fromNormalised(side, profile.price),
    quoteChanges: quotes.map((value, index) => ({ index, value })),
    allocationChanges: market.participants.map((p, index) => {
      const c = side.competitorOf[index];
      return { index, value: c < 0 ? p.energyWh : BigInt(traded[c]) };
    }),
  };
}

function laterRound(
  side: LongSide,
  profile: Profile,
  round: number,
  changed: readonly number[],
  tradedBefore: Float64Array,
  tradedNow: Float64Array,
): NashRound {
  const quoteChanges = changed
    .map((c) => ({ index: side.members[c], value: fromNormalised(side, profile.quotes[c]) }))
    .sort((a, b) => a.index - b.index);
  const allocationChanges: IndexedValue[] = [];
  // Competitors are numbered in participant order, so this list comes out sorted by index.
  for (let c = 0; c < side.size; c++) {
    if (tradedNow[c] !== tradedBefore[c])
      allocationChanges.push({ index: side.members[c], value: BigInt(tradedNow[c]) });
  }
  return { round, price: fromNormalised(side, profile.price), quoteChanges, allocationChanges };
}

function emptyMarketResult(market: NashMarket, quotes: readonly bigint[]): NashResult {
  const allocationsWh = market.participants.map(() => 0n);
  const round: NashRound = {
    round: 1,
    price: 0n,
    quoteChanges: quotes.map((value, index) => ({ index, value })),
    allocationChanges: allocationsWh.map((value, index) => ({ index, value })),
  };
  return {
    status: "converged",
    converged: true,
    market: "empty",
    rounds: [round],
    quotes,
    price: 0n,
    allocationsWh,
    adjusting: [],
  };
}

/** The fast engine and the bigint reference clearing must agree; a mismatch is a bug here. */
function verifyAgainstReference(
  market: NashMarket,
  quotes: readonly bigint[],
  price: bigint,
  allocationsWh: readonly bigint[],
): void {
  const clearing = clearMarket(ordersFor(market, quotes));
  const mismatch =
    clearing.price !== price || market.participants.some((p, i) => clearing.allocations.get(p.id) !== allocationsWh[i]);
  if (mismatch) throw new Error("Nash engine disagrees with the reference clearing on the final profile");
}

export interface BestReply {
  /** The best quote, price units per kWh (the most favourable one among equal utilities). */
  readonly quote: bigint;
  /** Its utility, price units x Wh. */
  readonly utility: bigint;
}

/**
 * Participant `index`'s exact best reply to the other quotes of `quotes` (its own quote only
 * fixes its current rank, which the tie-break prefers to keep; see bestReply.ts). The short
 * side cannot change anything by its quote (the market kind depends on energy only, the price
 * on the long side, and it trades in full), so its reply is its current quote.
 */
export function bestReply(market: NashMarket, quotes: readonly bigint[], index: number): BestReply {
  assertValidNashMarket(market);
  assertQuotesAllowed(market, quotes);
  if (market.participants[index] === undefined) throw new RangeError(`no participant at index ${index}`);
  const side = buildLongSide(market);
  const c = side === null ? -1 : side.competitorOf[index];
  if (side === null || c < 0) return { quote: quotes[index], utility: shortSideUtility(market, quotes, index) };
  const profile = rankProfile(
    side,
    Float64Array.from(side.members, (i) => toNormalised(side, quotes[i])),
  );
  const reply = exactBestReply(side, profile, c);
  return { quote: fromNormalised(side, reply.quote), utility: BigInt(reply.utility) * side.tick };
}

function shortSideUtility(market: NashMarket, quotes: readonly bigint[], index: number): bigint {
  if (marketKindOf(market) === "empty") return 0n;
  const orders = ordersFor(market, quotes);
  return orderUtility(orders[index], clearMarket(orders));
}
