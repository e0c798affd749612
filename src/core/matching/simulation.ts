/**
 * Paper B's reputation simulation (SPEC section 4): four providers, alpha = 0.4, cycles of trades.
 * Provider 1 is honest, provider 2 always under-delivers, providers 3 and 4 deliver each trade in
 * full or short at random. Expected shape: 1 highest and steady, 2 far lowest, 3 and 4 in between
 * and dipping in cycles where they under-deliver. Integer (WAD) arithmetic throughout, exactly the
 * contract's; numbers only in the returned curves.
 */
import { deriveSeed, mulberry32, type Prng } from "./prng";
import { applyReputationCycles, wadToNumber, type ReputationCycle } from "./reputation";
import { WAD } from "./types";

export type ProviderBehaviour = "honest" | "underDelivers" | "unstable";

export interface ReputationSimulationOptions {
  readonly seed: number;
  /** EMA weight of the current reputation, in [0, 1] with at most 9 decimals. */
  readonly alpha: number;
  readonly cycles: number;
  /** Trades of each provider per cycle. */
  readonly tradesPerCycle: number;
  /** Delivery ratio range of the provider that always under-delivers. Default [0.3, 0.5]. */
  readonly underDeliveryRange?: readonly [number, number];
  /** Chance that an unstable provider's trade is short. Default 0.3. */
  readonly shortProbability?: number;
  /** Delivery ratio range of an unstable provider's short trade. Default [0.2, 0.7]. */
  readonly shortRange?: readonly [number, number];
}

export interface SimulatedProvider {
  readonly id: number;
  readonly behaviour: ProviderBehaviour;
  /** RC after each cycle, as a decimal. */
  readonly reputation: number[];
  /** RC after each cycle, exact WAD. */
  readonly reputationWad: bigint[];
  /** C of each cycle, as a decimal. */
  readonly current: number[];
  /** Trades delivered short (ratio < 1) in each cycle. */
  readonly shortTrades: number[];
}

export interface ReputationSimulation {
  readonly alphaWad: bigint;
  readonly providers: SimulatedProvider[];
}

const MAX_CYCLES = 10_000;
const MAX_TRADES = 10_000;

const BEHAVIOURS: readonly ProviderBehaviour[] = ["honest", "underDelivers", "unstable", "unstable"];

/** A number with at most 9 decimals to a WAD, exactly or not at all. */
export function toWad(x: number): bigint {
  const scaled = Math.round(x * 1e9);
  if (!Number.isFinite(x) || Math.abs(x * 1e9 - scaled) > 1e-6) throw new RangeError(`${x} has more than 9 decimals`);
  return BigInt(scaled) * 10n ** 9n;
}

export function simulateReputation(options: ReputationSimulationOptions): ReputationSimulation {
  const { seed, alpha, cycles, tradesPerCycle } = options;
  if (!Number.isInteger(cycles) || cycles < 0 || cycles > MAX_CYCLES) throw new RangeError(`cycles: 0..${MAX_CYCLES}`);
  if (!Number.isInteger(tradesPerCycle) || tradesPerCycle < 1 || tradesPerCycle > MAX_TRADES) {
    throw new RangeError(`tradesPerCycle: 1..${MAX_TRADES}`);
  }
  if (alpha < 0 || alpha > 1) throw new RangeError("alpha must lie in [0, 1]");
  const alphaWad = toWad(alpha);
  const under = (options.underDeliveryRange ?? [0.3, 0.5]).map(toWad) as [bigint, bigint];
  const short = (options.shortRange ?? [0.2, 0.7]).map(toWad) as [bigint, bigint];
  const shortProbability = options.shortProbability ?? 0.3;
  for (const [lo, hi] of [under, short]) {
    if (lo < 0n || hi >= WAD || lo > hi) throw new RangeError("ratio ranges must lie in [0, 1) and be ordered");
  }

  // one independent stream per provider: changing one behaviour leaves the others' draws alone
  const streams: Prng[] = BEHAVIOURS.map((_, k) => mulberry32(deriveSeed(seed, k)));
  const ratioOf = (k: number): bigint => {
    const rng = streams[k];
    switch (BEHAVIOURS[k]) {
      case "honest":
        return WAD;
      case "underDelivers":
        return rng.bigint(under[0], under[1]);
      case "unstable":
        return rng.next() < shortProbability ? rng.bigint(short[0], short[1]) : WAD;
    }
  };

  const input: ReputationCycle[] = [];
  const shortTrades: number[][] = BEHAVIOURS.map(() => []);
  for (let t = 0; t < cycles; t++) {
    const deliveries = new Map<string, bigint[]>();
    BEHAVIOURS.forEach((_, k) => {
      const ratios = Array.from({ length: tradesPerCycle }, () => ratioOf(k));
      deliveries.set(String(k + 1), ratios);
      shortTrades[k].push(ratios.filter((v) => v < WAD).length);
    });
    input.push({ alphaWad, deliveries });
  }
  const steps = applyReputationCycles(input);

  const providers = BEHAVIOURS.map((behaviour, k): SimulatedProvider => {
    const id = String(k + 1);
    const reputationWad = steps.map((s) => s.reputationWad.get(id) ?? 0n);
    return {
      id: k + 1,
      behaviour,
      reputation: reputationWad.map(wadToNumber),
      reputationWad,
      current: steps.map((s) => wadToNumber(s.currentWad.get(id) ?? 0n)),
      shortTrades: shortTrades[k],
    };
  });
  return { alphaWad, providers };
}
