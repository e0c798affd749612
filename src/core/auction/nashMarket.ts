/**
 * The Nash market's rules that do not depend on the iteration: validation, reservation
 * clipping, allowed quote ranges, and the orders a profile of quotes stands for.
 */
import type { MarketKind, NashMarket, NashParticipant, Order } from "./types";

/** Thrown when a NashMarket or a profile of quotes breaks the preconditions of the engine. */
export class InvalidMarketError extends Error {
  override readonly name = "InvalidMarketError";
}

/**
 * Every reason `market` cannot be solved, as sentences; empty when valid. Besides the order
 * rules (unique ids, positive energy, seq unique per side) the engine needs whole-tick tariffs
 * and reservations, and magnitudes it can compute with exactly as JavaScript numbers: it works
 * in ticks x Wh internally (see longSide.ts), so (tariff span in ticks) x (total Wh) must stay
 * below 2^53.
 */
export function nashMarketProblems(market: NashMarket): string[] {
  const problems: string[] = [];
  const { tick, feedInTariff, retailTariff } = market;
  if (tick <= 0n) return [`tick must be positive (got ${tick})`];
  if (feedInTariff < 0n) problems.push(`feedInTariff must not be negative (got ${feedInTariff})`);
  if (feedInTariff > retailTariff) problems.push(`feedInTariff ${feedInTariff} is above retailTariff ${retailTariff}`);
  if (feedInTariff % tick !== 0n) problems.push(`feedInTariff ${feedInTariff} is not a whole tick of ${tick}`);
  if (retailTariff % tick !== 0n) problems.push(`retailTariff ${retailTariff} is not a whole tick of ${tick}`);
  const ids = new Set<string>();
  const seqs = { seller: new Set<number>(), buyer: new Set<number>() };
  let totalWh = 0n;
  for (const p of market.participants) {
    // Named only when something is wrong: JSON.stringify per participant would dominate large valid books.
    const name = () => `participant ${JSON.stringify(p.id)}`;
    if (p.id.length === 0) problems.push("a participant has an empty id");
    if (ids.has(p.id)) problems.push(`${name()}: duplicate id`);
    ids.add(p.id);
    if (p.side !== "seller" && p.side !== "buyer") {
      problems.push(`${name()}: side must be seller or buyer`);
      continue;
    }
    if (p.energyWh <= 0n) problems.push(`${name()}: energyWh must be positive (got ${p.energyWh})`);
    totalWh += p.energyWh;
    if (p.reservation < 0n || p.reservation % tick !== 0n) {
      problems.push(`${name()}: reservation ${p.reservation} must be a non-negative whole tick of ${tick}`);
    }
    if (!Number.isSafeInteger(p.seq) || p.seq < 0) problems.push(`${name()}: seq must be a non-negative integer`);
    else if (seqs[p.side].has(p.seq)) problems.push(`${name()}: seq ${p.seq} is used twice by ${p.side}s`);
    seqs[p.side].add(p.seq);
  }
  const spanTicks = (retailTariff - feedInTariff) / tick + 1n;
  const limit = BigInt(Number.MAX_SAFE_INTEGER);
  if (retailTariff / tick > limit || spanTicks * (totalWh + 1n) > limit) {
    problems.push(`market too large for exact arithmetic: ${spanTicks} ticks x ${totalWh} Wh exceeds 2^53`);
  }
  return problems;
}

export function assertValidNashMarket(market: NashMarket): void {
  const problems = nashMarketProblems(market);
  if (problems.length > 0) throw new InvalidMarketError(problems.join("; "));
}

/** Supply versus demand decides the market kind; quotes never change it. */
export function marketKindOf(market: NashMarket): MarketKind {
  let supplyWh = 0n;
  let demandWh = 0n;
  let sellers = 0;
  for (const p of market.participants) {
    if (p.side === "seller") {
      supplyWh += p.energyWh;
      sellers++;
    } else demandWh += p.energyWh;
  }
  if (sellers === 0 || sellers === market.participants.length) return "empty";
  return supplyWh > demandWh ? "buyer" : supplyWh < demandWh ? "seller" : "balanced";
}

/**
 * The reservation clipped to the tariffs. The engine uses it everywhere (first-round quote,
 * tie-break, utility, allowed range): a seller whose minimum is below the feed-in tariff gets
 * the feed-in tariff from the grid anyway, and a buyer never pays more than the retail tariff.
 */
export function effectiveReservation(market: NashMarket, p: NashParticipant): bigint {
  if (p.reservation < market.feedInTariff) return market.feedInTariff;
  if (p.reservation > market.retailTariff) return market.retailTariff;
  return p.reservation;
}

/** Quotes a participant may submit: a seller never asks below its minimum, a buyer never bids above its maximum. */
export function allowedQuoteRange(
  market: NashMarket,
  p: NashParticipant,
): { readonly low: bigint; readonly high: bigint } {
  const reservation = effectiveReservation(market, p);
  return p.side === "seller"
    ? { low: reservation, high: market.retailTariff }
    : { low: market.feedInTariff, high: reservation };
}

/** Round 1: everyone quotes its reservation price clipped to the tariffs. */
export function initialQuotes(market: NashMarket): bigint[] {
  return market.participants.map((p) => effectiveReservation(market, p));
}

/** The orders a profile of quotes (aligned with market.participants) stands for. */
export function ordersFor(market: NashMarket, quotes: readonly bigint[]): Order[] {
  if (quotes.length !== market.participants.length) {
    throw new InvalidMarketError(`expected ${market.participants.length} quotes, got ${quotes.length}`);
  }
  return market.participants.map((p, i) => ({
    id: p.id,
    side: p.side,
    energyWh: p.energyWh,
    quote: quotes[i],
    reservation: effectiveReservation(market, p),
    seq: p.seq,
  }));
}

/** Throws unless every quote is a whole tick inside its participant's allowed range. */
export function assertQuotesAllowed(market: NashMarket, quotes: readonly bigint[]): void {
  if (quotes.length !== market.participants.length) {
    throw new InvalidMarketError(`expected ${market.participants.length} quotes, got ${quotes.length}`);
  }
  market.participants.forEach((p, i) => {
    const { low, high } = allowedQuoteRange(market, p);
    const q = quotes[i];
    if (q % market.tick !== 0n || q < low || q > high) {
      throw new InvalidMarketError(`${p.id}: quote ${q} is not a whole tick in its allowed range ${low}..${high}`);
    }
  });
}
