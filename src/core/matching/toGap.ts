/**
 * A matching cycle as a generalized assignment problem (GAP) for the solver in src/core/gap.
 *
 * Agents are the cycle's offers (index j = offer j) plus one grid agent (index offers.length); jobs
 * are the requests. value[j][i] is the matching degree M_ij (an exact integer <= 1e6, so JS numbers
 * are exact), resource[j][i] = R_i, capacity[j] = the offer's capacity. A pair the contract would
 * refuse (cancelled side, price above the request's maximum, negative revenue) is forbidden; a
 * cancelled request may only go to the grid. The grid takes any request at value 0 and never runs
 * out of room (resource 0 against capacity 0: the same convention as gap/gridFallback.ts).
 *
 * Ties. Paper B's objective is often flat: every provider with RC = 0 gives M = 0, exactly the grid's
 * value, so "everyone to the grid" is as optimal as trading. The solver breaks ties in favour of
 * trading with a secondary term: profitForSolver = M * 4096 + tieBreak, tieBreak =
 * floor(4095 / numberOfRequests) for a provider pair and 0 for the grid. The tie-breaks of any
 * assignment sum to at most 4095 < 4096, so an assignment with a larger sum of M always has a larger
 * solver profit: the primary objective is preserved exactly, and among equal ones the solver prefers
 * the one that trades most. The chain knows nothing of this: it ranks by the sum of M and keeps the
 * FIRST valid submission on a tie, so a zero-objective assignment that trades, posted first, stays.
 */
import type { GapInstance } from "../gap/types";
import { pairTerms } from "./degree";
import { GRID, type Assignment, type MatchingCycle } from "./types";

/** The multiplier of M in the solver's profit when ties are broken. */
export const TIE_BREAK_SCALE = 4096;

/** The solver's limit on resources and capacities (gap/problem.ts). */
const MAX_GAP_RESOURCE = 2 ** 30;

export interface MatchingGapOptions {
  /** Add the secondary term that favours trading on ties. Default true. */
  readonly tieBreak?: boolean;
}

export interface MatchingGap {
  readonly instance: GapInstance;
  /** Agent index of the grid (= number of offers). */
  readonly gridAgent: number;
  /** M per [agent][job], grid row included (all 0); exact integers. */
  readonly degree: readonly (readonly number[])[];
  /** TIE_BREAK_SCALE with tie-breaking, 1 without: solver profit = M * scale + tieBreak. */
  readonly scale: number;
  /** The tie-break value of a provider pair (0 without tie-breaking). */
  readonly tieBreak: number;
}

export function toGapInstance(cycle: MatchingCycle, options: MatchingGapOptions = {}): MatchingGap {
  const { offers, requests, fees } = cycle;
  const tieBreaking = options.tieBreak ?? true;
  const jobs = requests.length;
  const scale = tieBreaking ? TIE_BREAK_SCALE : 1;
  const tieBreak = tieBreaking && jobs > 0 ? Math.floor((TIE_BREAK_SCALE - 1) / jobs) : 0;

  let totalWh = 0n;
  const resourceRow = requests.map((r, i) => {
    if (r.energyWh > BigInt(MAX_GAP_RESOURCE)) {
      throw new RangeError(`toGapInstance: request ${i} (${r.energyWh} Wh) exceeds the solver's limit of 2^30`);
    }
    totalWh += r.energyWh;
    return Number(r.energyWh);
  });

  const value: number[][] = [];
  const resource: number[][] = [];
  const capacity: number[] = [];
  const degree: number[][] = [];
  const forbidden: [number, number][] = [];
  offers.forEach((offer, j) => {
    const values: number[] = [];
    const degrees: number[] = [];
    requests.forEach((request, i) => {
      const terms = pairTerms(fees, offer, request);
      if (!terms.usable) forbidden.push([j, i]);
      const m = Number(terms.degree);
      degrees.push(m);
      values.push(terms.usable ? m * scale + tieBreak : 0);
    });
    value.push(values);
    degree.push(degrees);
    resource.push([...resourceRow]);
    // more capacity than all requests together changes nothing; clamping keeps it in the solver's range
    capacity.push(Number(offer.capacityWh < totalWh ? offer.capacityWh : totalWh));
  });
  const gridAgent = offers.length;
  value.push(new Array<number>(jobs).fill(0));
  degree.push(new Array<number>(jobs).fill(0));
  resource.push(new Array<number>(jobs).fill(0));
  capacity.push(0);

  const instance: GapInstance = {
    agents: offers.length + 1,
    jobs,
    value,
    resource,
    capacity,
    objective: "max",
    forbidden,
  };
  return { instance, gridAgent, degree, scale, tieBreak };
}

/** The solver's agent per job as the contract's assignment: offer index, or GRID for the grid agent. */
export function toOnChainAssignment(gap: MatchingGap, agentPerJob: readonly number[]): number[] {
  return agentPerJob.map((agent, i) => {
    if (agent === gap.gridAgent) return GRID;
    if (!Number.isInteger(agent) || agent < 0 || agent > gap.gridAgent) {
      throw new RangeError(`toOnChainAssignment: job ${i} has no agent ${agent}`);
    }
    return agent;
  });
}

/** The chain's objective (sum of M) of an on-chain assignment, read from the instance's degrees. */
export function primaryObjective(gap: MatchingGap, assignment: Assignment): number {
  let total = 0;
  assignment.forEach((j, i) => {
    if (j !== GRID) total += gap.degree[j][i];
  });
  return total;
}
