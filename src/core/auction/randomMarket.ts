/**
 * Deterministic random markets for property tests and benchmarks: the same (size, seed,
 * options) always gives the same market.
 */
import { seededRandom } from "../random";
import type { NashMarket, NashParticipant } from "./types";

export interface RandomMarketOptions {
  /** Price tick, price units per kWh (default 0.01 in 6-decimal token base units). */
  readonly tick: bigint;
  /** Tariff bounds as whole numbers of ticks (default 30 and 100: 0.30 and 1.00). */
  readonly feedInTicks: number;
  readonly retailTicks: number;
  /** Probability that a participant is a seller. */
  readonly sellerShare: number;
  /** Each participant's surplus or deficit is drawn uniformly from this range, Wh. */
  readonly minEnergyWh: number;
  readonly maxEnergyWh: number;
}

export const DEFAULT_RANDOM_MARKET_OPTIONS: RandomMarketOptions = {
  tick: 10_000n,
  feedInTicks: 30,
  retailTicks: 100,
  sellerShare: 0.5,
  minEnergyWh: 100,
  maxEnergyWh: 20_000,
};

/**
 * `size` participants; reservations are uniform whole ticks between the tariffs. Ids are
 * "S<n>" for sellers and "B<n>" for buyers, numbered by arrival (= seq) within the side.
 */
export function randomMarket(size: number, seed: number, options: Partial<RandomMarketOptions> = {}): NashMarket {
  const o: RandomMarketOptions = { ...DEFAULT_RANDOM_MARKET_OPTIONS, ...options };
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`size must be a non-negative integer (got ${size})`);
  const random = seededRandom(seed);
  const participants: NashParticipant[] = [];
  let sellers = 0;
  let buyers = 0;
  for (let k = 0; k < size; k++) {
    const side = random.next() < o.sellerShare ? "seller" : "buyer";
    const seq = side === "seller" ? sellers++ : buyers++;
    participants.push({
      id: `${side === "seller" ? "S" : "B"}${seq}`,
      side,
      energyWh: BigInt(random.int(o.minEnergyWh, o.maxEnergyWh)),
      reservation: BigInt(random.int(o.feedInTicks, o.retailTicks)) * o.tick,
      seq,
    });
  }
  return {
    tick: o.tick,
    feedInTariff: BigInt(o.feedInTicks) * o.tick,
    retailTariff: BigInt(o.retailTicks) * o.tick,
    participants,
  };
}
