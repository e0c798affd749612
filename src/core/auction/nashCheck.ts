/**
 * Is a profile of quotes a Nash equilibrium? Nobody may gain STRICTLY by any unilateral move to
 * another whole tick of its allowed range (a seller never below its minimum, a buyer never
 * above its maximum, both inside the tariffs).
 *
 * Two checkers that must agree: checkNashBruteForce is the oracle (it re-clears the market with
 * the bigint reference clearing for every tick of every participant), checkNash is the exact
 * fast one (the best reply of every competitor, see bestReply.ts). The short side needs no
 * test in checkNash: its quote changes neither the market kind (energy decides it), nor the
 * price (the long side's quotes do), nor its own trade (it trades in full).
 */
import { exactBestReply } from "./bestReply";
import { clearMarket, orderUtility } from "./clearing";
import { comparatorFor } from "./meritOrder";
import { buildLongSide, fromNormalised, rankProfile, toNormalised, utilityOf } from "./longSide";
import { allowedQuoteRange, assertQuotesAllowed, assertValidNashMarket, ordersFor } from "./nashMarket";
import type { BestReply } from "./nash";
import type { NashMarket } from "./types";

export interface NashDeviation {
  readonly index: number;
  readonly id: string;
  /** Utility at the profile's quote, price units x Wh. */
  readonly currentUtility: bigint;
  /** The participant's best reply, which beats its current utility. */
  readonly betterQuote: bigint;
  readonly betterUtility: bigint;
}

export interface NashCheck {
  readonly isNash: boolean;
  /** Every participant that can gain, with its best reply; empty for an equilibrium. */
  readonly deviations: readonly NashDeviation[];
}

export function checkNash(market: NashMarket, quotes: readonly bigint[]): NashCheck {
  assertValidNashMarket(market);
  assertQuotesAllowed(market, quotes);
  const side = buildLongSide(market);
  if (side === null) return { isNash: true, deviations: [] };
  const profile = rankProfile(
    side,
    Float64Array.from(side.members, (i) => toNormalised(side, quotes[i])),
  );
  const deviations: NashDeviation[] = [];
  for (let c = 0; c < side.size; c++) {
    const reply = exactBestReply(side, profile, c);
    const current = utilityOf(side, profile, c);
    if (reply.utility > current) {
      const index = side.members[c];
      deviations.push({
        index,
        id: market.participants[index].id,
        currentUtility: BigInt(current) * side.tick,
        betterQuote: fromNormalised(side, reply.quote),
        betterUtility: BigInt(reply.utility) * side.tick,
      });
    }
  }
  return { isNash: deviations.length === 0, deviations };
}

export interface BruteForceOptions {
  /** Refuse profiles that would need more reference clearings than this. */
  readonly maxClearings: number;
}

export const DEFAULT_BRUTE_FORCE_OPTIONS: BruteForceOptions = { maxClearings: 200_000 };

export function checkNashBruteForce(
  market: NashMarket,
  quotes: readonly bigint[],
  options: Partial<BruteForceOptions> = {},
): NashCheck {
  assertValidNashMarket(market);
  assertQuotesAllowed(market, quotes);
  assertSmallEnough(market, market.participants.length, { ...DEFAULT_BRUTE_FORCE_OPTIONS, ...options });
  const deviations: NashDeviation[] = [];
  market.participants.forEach((p, index) => {
    const currentUtility = utilityWithQuote(market, quotes, index, quotes[index]);
    const best = scanBestReply(market, quotes, index);
    if (best.utility > currentUtility) {
      deviations.push({ index, id: p.id, currentUtility, betterQuote: best.quote, betterUtility: best.utility });
    }
  });
  return { isNash: deviations.length === 0, deviations };
}

/**
 * The oracle's best reply: every tick of the allowed range, with the engine's tie-break among
 * equal utilities: the most favourable quote that keeps the participant's current rank among
 * the others of its side, else the most favourable quote (highest ask / lowest bid).
 */
export function bruteForceBestReply(market: NashMarket, quotes: readonly bigint[], index: number): BestReply {
  assertValidNashMarket(market);
  assertQuotesAllowed(market, quotes);
  assertSmallEnough(market, 1, DEFAULT_BRUTE_FORCE_OPTIONS);
  return scanBestReply(market, quotes, index);
}

function scanBestReply(market: NashMarket, quotes: readonly bigint[], index: number): BestReply {
  const participant = market.participants[index];
  const { low, high } = allowedQuoteRange(market, participant);
  const currentRank = rankAmongOthers(market, quotes, index, quotes[index]);
  // Scan from the most favourable end, so that on equal utility the first one found stays.
  const seller = participant.side === "seller";
  const step = seller ? -market.tick : market.tick;
  let bestAny: BestReply | null = null;
  let bestHolding: BestReply | null = null;
  // Loop bound: (high - low) / tick + 1 ticks, checked by assertSmallEnough.
  for (let q = seller ? high : low; q >= low && q <= high; q += step) {
    const reply = { quote: q, utility: utilityWithQuote(market, quotes, index, q) };
    if (bestAny === null || reply.utility > bestAny.utility) bestAny = reply;
    const holds = rankAmongOthers(market, quotes, index, q) === currentRank;
    if (holds && (bestHolding === null || reply.utility > bestHolding.utility)) bestHolding = reply;
  }
  if (bestAny === null) throw new RangeError(`${participant.id} has an empty quote range`);
  return bestHolding !== null && bestHolding.utility === bestAny.utility ? bestHolding : bestAny;
}

/** How many others of the same side rank before participant `index` if it quotes `quote`. */
function rankAmongOthers(market: NashMarket, quotes: readonly bigint[], index: number, quote: bigint): number {
  const orders = ordersFor(market, quotes);
  const self = { ...orders[index], quote };
  const compare = comparatorFor(self.side);
  return orders.filter((o, j) => j !== index && o.side === self.side && compare(o, self) < 0).length;
}

function utilityWithQuote(market: NashMarket, quotes: readonly bigint[], index: number, quote: bigint): bigint {
  const deviated = quotes.slice();
  deviated[index] = quote;
  const orders = ordersFor(market, deviated);
  return orderUtility(orders[index], clearMarket(orders));
}

function assertSmallEnough(market: NashMarket, participantsToScan: number, options: BruteForceOptions): void {
  const ticks = (market.retailTariff - market.feedInTariff) / market.tick + 1n;
  const clearings = ticks * BigInt(participantsToScan);
  if (clearings > BigInt(options.maxClearings)) {
    throw new RangeError(`brute force would need ${clearings} clearings (limit ${options.maxClearings})`);
  }
}
