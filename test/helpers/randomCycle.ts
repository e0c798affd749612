import type { MatchingOffer, MatchingRequest, Prng } from "../../src/core/matching";

type Range = readonly [bigint, bigint];

/** Size and value ranges of a random matching cycle; the two test suites need different shapes. */
export interface CycleShape {
  readonly offers: readonly [number, number];
  readonly requests: readonly [number, number];
  readonly price: Range;
  readonly capacityWh: Range;
  readonly energyWh: Range;
  readonly maxPrice: Range;
  readonly regions: number;
  readonly levels: number;
  /** chance that an offer's reputation is exactly 0 (a newcomer) */
  readonly newcomer: number;
}

/** Random offers and requests, some cancelled, drawn from `shape` with a seeded generator. */
export function randomBook(rng: Prng, shape: CycleShape): { offers: MatchingOffer[]; requests: MatchingRequest[] } {
  const offers = Array.from({ length: rng.int(...shape.offers) }, () => ({
    pricePerKwh: rng.bigint(...shape.price),
    capacityWh: rng.bigint(...shape.capacityWh),
    rcMicro: rng.next() < shape.newcomer ? 0n : rng.bigint(1n, 1_000_000n),
    region: rng.int(1, shape.regions),
    voltageLevel: rng.int(1, shape.levels),
    cancelled: rng.next() < 0.1,
  }));
  const requests = Array.from({ length: rng.int(...shape.requests) }, () => ({
    energyWh: rng.bigint(...shape.energyWh),
    maxPricePerKwh: rng.bigint(...shape.maxPrice),
    region: rng.int(1, shape.regions),
    voltageLevel: rng.int(1, shape.levels),
    cancelled: rng.next() < 0.1,
  }));
  return { offers, requests };
}
