/**
 * The record of published rounds. A long price war can run for thousands of rounds with one
 * quote moving per round, so a round stores only what changed since the previous round (round 1
 * stores everyone); roundSnapshots replays the full picture when a report needs it.
 */

/** A participant's value (quote or traded Wh), by index into market.participants. */
export interface IndexedValue {
  readonly index: number;
  readonly value: bigint;
}

export interface NashRound {
  readonly round: number;
  /** Clearing price of this round's quotes, price units per kWh (0n in an empty market). */
  readonly price: bigint;
  /** Quotes that differ from the previous round, by ascending index; round 1 lists everyone. */
  readonly quoteChanges: readonly IndexedValue[];
  /** Traded Wh that differ from the previous round, by ascending index; round 1 lists everyone. */
  readonly allocationChanges: readonly IndexedValue[];
}

export interface RoundSnapshot {
  readonly round: number;
  readonly price: bigint;
  /** Every participant's quote in this round, aligned with market.participants. */
  readonly quotes: readonly bigint[];
  /** Every participant's traded Wh at this round's result. */
  readonly allocationsWh: readonly bigint[];
}

/** Full quotes and allocations of every round, in order (O(participants) per round). */
export function* roundSnapshots(rounds: readonly NashRound[]): Generator<RoundSnapshot> {
  const size = rounds.length > 0 ? rounds[0].quoteChanges.length : 0;
  const quotes: bigint[] = new Array<bigint>(size).fill(0n);
  const allocationsWh: bigint[] = new Array<bigint>(size).fill(0n);
  for (const round of rounds) {
    for (const { index, value } of round.quoteChanges) quotes[index] = value;
    for (const { index, value } of round.allocationChanges) allocationsWh[index] = value;
    yield { round: round.round, price: round.price, quotes: quotes.slice(), allocationsWh: allocationsWh.slice() };
  }
}

/** The snapshot of one round (1-based), replayed from round 1. */
export function roundSnapshot(rounds: readonly NashRound[], round: number): RoundSnapshot {
  if (!Number.isInteger(round) || round < 1 || round > rounds.length) {
    throw new RangeError(`round ${round} was not published (rounds 1..${rounds.length})`);
  }
  const size = rounds[0].quoteChanges.length;
  const quotes: bigint[] = new Array<bigint>(size).fill(0n);
  const allocationsWh: bigint[] = new Array<bigint>(size).fill(0n);
  for (const published of rounds.slice(0, round)) {
    for (const { index, value } of published.quoteChanges) quotes[index] = value;
    for (const { index, value } of published.allocationChanges) allocationsWh[index] = value;
  }
  return { round, price: rounds[round - 1].price, quotes, allocationsWh };
}

/**
 * Spots a repeated profile among rounds 2+ (round 1 follows a different rule, so only from
 * round 2 on does a repeat prove that the iteration loops forever). It keeps the running quotes
 * and one hash per round; a hash hit is confirmed by replaying the earlier round, which happens
 * once per real cycle (the iteration stops) and practically never by accident.
 */
export class CycleDetector {
  private readonly quotes: bigint[] = [];
  private readonly roundsByHash = new Map<number, number[]>();

  /**
   * Call once per published round, round 1 first, with all rounds so far; true when the last
   * round's quotes equal those of an earlier round numbered 2 or more.
   */
  repeats(rounds: readonly NashRound[]): boolean {
    const last = rounds[rounds.length - 1];
    for (const { index, value } of last.quoteChanges) this.quotes[index] = value;
    if (last.round < 2) return false;
    let hash = 0x811c9dc5;
    for (const q of this.quotes) hash = Math.imul(hash ^ Number(BigInt.asUintN(32, q)), 0x01000193);
    const earlier = this.roundsByHash.get(hash) ?? [];
    const same = (r: number): boolean => roundSnapshot(rounds, r).quotes.every((q, i) => q === this.quotes[i]);
    if (earlier.some(same)) return true;
    earlier.push(last.round);
    this.roundsByHash.set(hash, earlier);
    return false;
  }
}
