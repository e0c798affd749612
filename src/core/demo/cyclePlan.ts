/**
 * What happens in paper B's cycles, drawn once from the scenario's seed: the users' request sizes and
 * how much each provider really delivers of each trade. Separate streams (src/core/matching/prng.ts):
 * one per provider, in the order of the scenario's providers, and one for the requests, so changing
 * one provider's behaviour leaves every other draw alone.
 */
import { deliveryRatioSampler } from "../matching/behaviour";
import { deriveSeed, mulberry32 } from "../matching/prng";
import { WAD } from "../matching/types";
import type { DemoReputation } from "./scenario";

/** Stream index of the request sizes (providers use 0, 1, 2, ...). */
const REQUEST_STREAM = 1_000;

/** Request size in Wh of every user (scenario order) in every cycle: uniform whole Wh in requestWh. */
export function requestPlan(settings: DemoReputation): bigint[][] {
  const rng = mulberry32(deriveSeed(settings.seed, REQUEST_STREAM));
  const [lo, hi] = settings.requestWh;
  return Array.from({ length: settings.cycles }, () => settings.users.map(() => rng.bigint(lo, hi)));
}

export interface DeliveryDraws {
  /**
   * Energy the provider delivers of a trade of `agreedWh`: agreedWh x its next ratio, rounded down.
   * Call once per trade, in trade order: every call takes the provider's next draw.
   */
  deliveredWh(providerId: string, agreedWh: bigint): bigint;
}

export function deliveryDraws(settings: DemoReputation): DeliveryDraws {
  const samplers = new Map(
    settings.providers.map((p, k) => [
      p.id,
      deliveryRatioSampler(p.behaviour, mulberry32(deriveSeed(settings.seed, k)), settings.behaviour),
    ]),
  );
  return {
    deliveredWh(providerId, agreedWh) {
      const sample = samplers.get(providerId);
      if (!sample) throw new RangeError(`deliveryDraws: ${providerId} is not a provider of the scenario`);
      return (agreedWh * sample()) / WAD;
    },
  };
}
