/**
 * Pair arithmetic and the assignment check of paper B's matching: twin of
 * contracts/libraries/MatchingMath.sol and AssignmentCheck.sol. Keep every rounding and every
 * check order in step with them; test/core/matching.test.ts compares both on random cases.
 */
import { costUp, mulDivDown, mulDivUp, WH_PER_KWH } from "../units";
import {
  GRID,
  type Assignment,
  type AssignmentCheck,
  type AssignmentViolation,
  type FeeSchedule,
  type MatchingCycle,
  type MatchingOffer,
  type MatchingRequest,
  type PairTerms,
  type RegionDistance,
} from "./types";

/** The higher of two voltage levels: energy climbs to it, so its fees apply. */
export function higherLevel(a: number, b: number): number {
  return a > b ? a : b;
}

/** fee = base + perDistance * distance, token base units per kWh. */
export function feePerKwh(baseFeePerKwh: bigint, distanceFeePerKwh: bigint, distance: bigint): bigint {
  return baseFeePerKwh + distanceFeePerKwh * distance;
}

/** The fee between two parties under a schedule (distance 0 within one region). */
export function pairFee(
  fees: FeeSchedule,
  a: { readonly region: number; readonly voltageLevel: number },
  b: { readonly region: number; readonly voltageLevel: number },
): bigint {
  const level = higherLevel(a.voltageLevel, b.voltageLevel);
  const distance = a.region === b.region ? 0n : fees.distance(a.region, b.region);
  return feePerKwh(fees.baseFeePerKwh[level] ?? 0n, fees.distanceFeePerKwh[level] ?? 0n, distance);
}

/**
 * zeta = floor(R * r / 1000) - ceil(R * fee / 1000), token base units; may be negative.
 * Income down, fee up: a pair never looks better than it is.
 */
export function revenue(energyWh: bigint, pricePerKwh: bigint, fee: bigint): bigint {
  return mulDivDown(energyWh, pricePerKwh, WH_PER_KWH) - mulDivUp(energyWh, fee, WH_PER_KWH);
}

/** M = floor(zeta * rc / (zeta + rc)), 0 when both are 0; zeta >= 0 (base units), rc in micro units. */
export function matchingDegree(zeta: bigint, rcMicro: bigint): bigint {
  if (zeta < 0n || rcMicro < 0n) throw new RangeError("matchingDegree: zeta and rc must be non-negative");
  if (zeta === 0n && rcMicro === 0n) return 0n;
  return (zeta * rcMicro) / (zeta + rcMicro);
}

/** Fee, zeta and M of request i served by offer j (no capacity check: that depends on the others). */
export function pairTerms(fees: FeeSchedule, offer: MatchingOffer, request: MatchingRequest): PairTerms {
  const fee = pairFee(fees, offer, request);
  const zeta = revenue(request.energyWh, offer.pricePerKwh, fee);
  const usable = !offer.cancelled && !request.cancelled && offer.pricePerKwh <= request.maxPricePerKwh && zeta >= 0n;
  return { feePerKwh: fee, zeta, degree: usable ? matchingDegree(zeta, offer.rcMicro) : 0n, usable };
}

/**
 * Verifies an assignment the way the contract does, in the same order, and returns its objective
 * or the first violated rule (with the contract's error name and arguments).
 */
export function checkAssignment(cycle: MatchingCycle, assignment: Assignment): AssignmentCheck {
  const { offers, requests, fees } = cycle;
  const fail = (violation: AssignmentViolation): AssignmentCheck => ({ ok: false, violation });
  if (assignment.length !== requests.length) {
    return fail({ error: "MatchingWrongLength", args: [BigInt(assignment.length), BigInt(requests.length)] });
  }
  const usedWh = new Array<bigint>(offers.length).fill(0n);
  let objective = 0n;
  for (let i = 0; i < requests.length; i++) {
    const j = assignment[i];
    if (j === GRID) continue;
    const request = requests[i];
    const [bi, bj] = [BigInt(i), BigInt(j)];
    if (request.cancelled) return fail({ error: "MatchingCancelledRequest", args: [bi, bj] });
    if (!Number.isInteger(j) || j < 0 || j >= offers.length) {
      return fail({ error: "MatchingUnknownOffer", args: [bi, bj] });
    }
    const offer = offers[j];
    if (offer.cancelled) return fail({ error: "MatchingCancelledOffer", args: [bi, bj] });
    if (offer.pricePerKwh > request.maxPricePerKwh) {
      return fail({ error: "MatchingPriceAboveMax", args: [bi, bj, offer.pricePerKwh, request.maxPricePerKwh] });
    }
    const zeta = revenue(request.energyWh, offer.pricePerKwh, pairFee(fees, offer, request));
    if (zeta < 0n) return fail({ error: "MatchingNegativeRevenue", args: [bi, bj, zeta] });
    usedWh[j] += request.energyWh;
    if (usedWh[j] > offer.capacityWh) {
      return fail({ error: "MatchingCapacityExceeded", args: [bj, usedWh[j], offer.capacityWh] });
    }
    objective += matchingDegree(zeta, offer.rcMicro);
  }
  return { ok: true, objective };
}

/** The objective of a valid assignment; throws with the violated rule otherwise. */
export function objectiveOf(cycle: MatchingCycle, assignment: Assignment): bigint {
  const check = checkAssignment(cycle, assignment);
  if (!check.ok) {
    throw new RangeError(`${check.violation.error}(${check.violation.args.join(", ")})`);
  }
  return check.objective;
}

/** What a user locks for a request: margin + costUp(R, maxPrice). */
export function requestLock(request: MatchingRequest, margin: bigint): bigint {
  return margin + costUp(request.energyWh, request.maxPricePerKwh);
}

/** A symmetric distance table from (regionA, regionB, distance) triples; unset pairs are 0. */
export function distanceTable(entries: readonly (readonly [number, number, bigint])[]): RegionDistance {
  const table = new Map<string, bigint>();
  const key = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);
  for (const [a, b, d] of entries) {
    if (a === b) throw new RangeError(`distanceTable: region ${a} with itself is always 0`);
    table.set(key(a, b), d);
  }
  return (a, b) => (a === b ? 0n : table.get(key(a, b)) ?? 0n);
}
