/**
 * Paper B's reputation (SPEC section 4): twin of contracts/libraries/ReputationMath.sol and of
 * ReputationMatching.updateReputation. Every division rounds down: a reputation is never overstated.
 */
import { WAD } from "./types";

const WAD_PER_MICRO = 10n ** 12n;

/** C = floor(sum of delivery ratios / count), WADs; the ratios of one provider's trades in a cycle. */
export function meanRatioWad(ratiosWad: readonly bigint[]): bigint {
  if (ratiosWad.length === 0) throw new RangeError("meanRatioWad: a cycle without trades has no current reputation");
  let sum = 0n;
  for (const v of ratiosWad) {
    if (v < 0n || v > WAD) throw new RangeError(`meanRatioWad: ratio ${v} outside [0, 1e18]`);
    sum += v;
  }
  return sum / BigInt(ratiosWad.length);
}

/** RC(T) = floor((alpha * C + (1e18 - alpha) * RC(T-1)) / 1e18), WADs. */
export function emaWad(alphaWad: bigint, currentWad: bigint, previousWad: bigint): bigint {
  if (alphaWad < 0n || alphaWad > WAD) throw new RangeError(`emaWad: alpha ${alphaWad} outside [0, 1e18]`);
  return (alphaWad * currentWad + (WAD - alphaWad) * previousWad) / WAD;
}

/** RC in micro units for the matching degree: floor(RC / 1e12). */
export function rcMicro(reputationWad: bigint): bigint {
  return reputationWad / WAD_PER_MICRO;
}

/** One cycle's recorded deliveries: per provider id, the ratios of its trades settled in the cycle. */
export interface ReputationCycle {
  readonly alphaWad: bigint;
  readonly deliveries: ReadonlyMap<string, readonly bigint[]>;
}

export interface ReputationStep {
  /** C per provider that traded in the cycle. */
  readonly currentWad: ReadonlyMap<string, bigint>;
  /** RC per provider after the cycle (every known provider, unchanged when it did not trade). */
  readonly reputationWad: ReadonlyMap<string, bigint>;
}

/**
 * Applies cycles in order, as the contract's updateReputation does: a provider with trades in a cycle
 * moves by the EMA, one without keeps its RC. RC(0) = 0 for providers not in `initialWad`.
 */
export function applyReputationCycles(
  cycles: readonly ReputationCycle[],
  initialWad: ReadonlyMap<string, bigint> = new Map(),
): ReputationStep[] {
  const rc = new Map(initialWad);
  const steps: ReputationStep[] = [];
  for (const cycle of cycles) {
    const current = new Map<string, bigint>();
    for (const [provider, ratios] of cycle.deliveries) {
      if (ratios.length === 0) continue;
      const c = meanRatioWad(ratios);
      current.set(provider, c);
      rc.set(provider, emaWad(cycle.alphaWad, c, rc.get(provider) ?? 0n));
    }
    steps.push({ currentWad: current, reputationWad: new Map(rc) });
  }
  return steps;
}

/** A WAD as a decimal number, for reports and charts only. */
export function wadToNumber(wad: bigint): number {
  return Number(wad) / 1e18;
}
