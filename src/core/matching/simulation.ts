/**
 * Paper B's reputation simulation (SPEC section 4): four providers, alpha = 0.4, cycles of trades.
 * Provider 1 is honest, provider 2 always under-delivers, providers 3 and 4 deliver each trade in
 * full or short at random. Expected shape: 1 highest and steady, 2 far lowest, 3 and 4 in between
 * and dipping in cycles where they under-deliver. Integer (WAD) arithmetic throughout, exactly the
 * contract's; numbers only in the returned curves.
 */
import { deliveryRatioSampler, toWad, type DeliveryBehaviourOptions, type ProviderBehaviour } from "./behaviour";
import { deriveSeed, mulberry32 } from "./prng";
import { applyReputationCycles, wadToNumber, type ReputationCycle } from "./reputation";
import { WAD } from "./types";

export { toWad, type ProviderBehaviour };

/** The delivery behaviour options (ratio ranges, short probability) are those of behaviour.ts. */
export interface ReputationSimulationOptions extends DeliveryBehaviourOptions {
  readonly seed: number;
  /** EMA weight of the current reputation, in [0, 1] with at most 9 decimals. */
  readonly alpha: number;
  readonly cycles: number;
  /** Trades of each provider per cycle. */
  readonly tradesPerCycle: number;
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

export function simulateReputation(options: ReputationSimulationOptions): ReputationSimulation {
  const { seed, alpha, cycles, tradesPerCycle } = options;
  if (!Number.isInteger(cycles) || cycles < 0 || cycles > MAX_CYCLES) throw new RangeError(`cycles: 0..${MAX_CYCLES}`);
  if (!Number.isInteger(tradesPerCycle) || tradesPerCycle < 1 || tradesPerCycle > MAX_TRADES) {
    throw new RangeError(`tradesPerCycle: 1..${MAX_TRADES}`);
  }
  if (alpha < 0 || alpha > 1) throw new RangeError("alpha must lie in [0, 1]");
  const alphaWad = toWad(alpha);
  // one independent stream per provider: changing one behaviour leaves the others' draws alone
  const samplers = BEHAVIOURS.map((behaviour, k) =>
    deliveryRatioSampler(behaviour, mulberry32(deriveSeed(seed, k)), options),
  );
  const ratioOf = (k: number): bigint => samplers[k]();

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
