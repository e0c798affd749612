/**
 * How paper B's providers deliver (SPEC section 4): one seeded draw of the delivery ratio per trade.
 * Shared by the reputation simulation and by the demo, which signs meter readings from the same draws.
 */
import type { Prng } from "./prng";
import { WAD } from "./types";

export type ProviderBehaviour = "honest" | "underDelivers" | "unstable";

export const PROVIDER_BEHAVIOURS: readonly ProviderBehaviour[] = ["honest", "underDelivers", "unstable"];

export interface DeliveryBehaviourOptions {
  /** Delivery ratio range of a provider that always under-delivers. Default [0.3, 0.5]. */
  readonly underDeliveryRange?: readonly [number, number];
  /** Chance that an unstable provider's trade is short. Default 0.3. */
  readonly shortProbability?: number;
  /** Delivery ratio range of an unstable provider's short trade. Default [0.2, 0.7]. */
  readonly shortRange?: readonly [number, number];
}

export const DEFAULT_DELIVERY_BEHAVIOUR: Required<DeliveryBehaviourOptions> = {
  underDeliveryRange: [0.3, 0.5],
  shortProbability: 0.3,
  shortRange: [0.2, 0.7],
};

/** A number with at most 9 decimals to a WAD, exactly or not at all. */
export function toWad(x: number): bigint {
  const scaled = Math.round(x * 1e9);
  if (!Number.isFinite(x) || Math.abs(x * 1e9 - scaled) > 1e-6) throw new RangeError(`${x} has more than 9 decimals`);
  return BigInt(scaled) * 10n ** 9n;
}

/**
 * The delivery ratio (WAD) of each successive trade of a provider with `behaviour`, drawn from `rng`:
 * honest 1 (no draw), underDelivers uniform in its range, unstable short with the given chance.
 */
export function deliveryRatioSampler(
  behaviour: ProviderBehaviour,
  rng: Prng,
  options: DeliveryBehaviourOptions = {},
): () => bigint {
  const under = (options.underDeliveryRange ?? DEFAULT_DELIVERY_BEHAVIOUR.underDeliveryRange).map(toWad);
  const short = (options.shortRange ?? DEFAULT_DELIVERY_BEHAVIOUR.shortRange).map(toWad);
  const shortProbability = options.shortProbability ?? DEFAULT_DELIVERY_BEHAVIOUR.shortProbability;
  for (const [lo, hi] of [under, short]) {
    if (lo < 0n || hi >= WAD || lo > hi) throw new RangeError("ratio ranges must lie in [0, 1) and be ordered");
  }
  if (!(shortProbability >= 0 && shortProbability <= 1)) throw new RangeError("shortProbability must lie in [0, 1]");
  switch (behaviour) {
    case "honest":
      return () => WAD;
    case "underDelivers":
      return () => rng.bigint(under[0], under[1]);
    case "unstable":
      return () => (rng.next() < shortProbability ? rng.bigint(short[0], short[1]) : WAD);
  }
}
