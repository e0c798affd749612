/**
 * Types of paper B's reputation-weighted matching (SPEC section 4), shared by the twins of
 * contracts/libraries/{MatchingMath,ReputationMath,AssignmentCheck}.sol.
 *
 * Units: energy in Wh; prices and fees in token base units per kWh (6-decimal token, so base
 * units are micro currency units); reputation as a WAD (1e18 = 1.0) or in micro units (1e6 = 1.0).
 * Every amount is a bigint so the integers are the contract's, bit for bit.
 */

/** Assignment entry for "no provider": the request is served by the grid. type(uint16).max on chain. */
export const GRID = 65_535;

/** 1.0 as a WAD. */
export const WAD = 10n ** 18n;
/** 1.0 in micro units. */
export const MICRO = 10n ** 6n;

/** A provider's offer as the contract stores it (region, level and reputation snapshot at posting). */
export interface MatchingOffer {
  readonly pricePerKwh: bigint;
  readonly capacityWh: bigint;
  /** Comprehensive reputation when it posted, in micro units (1e6 = 1.0). */
  readonly rcMicro: bigint;
  readonly region: number;
  /** 1 low, 2 medium, 3 high voltage. */
  readonly voltageLevel: number;
  readonly cancelled: boolean;
}

/** A user's request as the contract stores it. */
export interface MatchingRequest {
  readonly energyWh: bigint;
  readonly maxPricePerKwh: bigint;
  readonly region: number;
  readonly voltageLevel: number;
  readonly cancelled: boolean;
}

/** Symmetric distance between two regions (0 for a region with itself and for unset pairs). */
export type RegionDistance = (regionA: number, regionB: number) => bigint;

/**
 * The operator's fee schedule: fee = baseFeePerKwh[v] + distanceFeePerKwh[v] * distance, v the higher
 * voltage level of the pair. Arrays are indexed by voltage level (index 0 unused), as on chain.
 */
export interface FeeSchedule {
  readonly baseFeePerKwh: readonly bigint[];
  readonly distanceFeePerKwh: readonly bigint[];
  readonly distance: RegionDistance;
}

/** Everything the assignment check reads for one cycle. */
export interface MatchingCycle {
  readonly offers: readonly MatchingOffer[];
  readonly requests: readonly MatchingRequest[];
  readonly fees: FeeSchedule;
}

/** Offer index per request, or GRID. */
export type Assignment = readonly number[];

/**
 * The first rule an assignment breaks, named and with the arguments of the contract's custom error
 * (IReputationMatching), so a test can compare them one to one.
 */
export type AssignmentViolation =
  | { readonly error: "MatchingWrongLength"; readonly args: readonly [given: bigint, expected: bigint] }
  | { readonly error: "MatchingCancelledRequest"; readonly args: readonly [request: bigint, offer: bigint] }
  | { readonly error: "MatchingUnknownOffer"; readonly args: readonly [request: bigint, offer: bigint] }
  | { readonly error: "MatchingCancelledOffer"; readonly args: readonly [request: bigint, offer: bigint] }
  | {
      readonly error: "MatchingPriceAboveMax";
      readonly args: readonly [request: bigint, offer: bigint, price: bigint, maxPrice: bigint];
    }
  | {
      readonly error: "MatchingNegativeRevenue";
      readonly args: readonly [request: bigint, offer: bigint, zeta: bigint];
    }
  | {
      readonly error: "MatchingCapacityExceeded";
      readonly args: readonly [offer: bigint, usedWh: bigint, capacityWh: bigint];
    };

export type AssignmentCheck =
  | { readonly ok: true; readonly objective: bigint }
  | { readonly ok: false; readonly violation: AssignmentViolation };

/** Fee, revenue and degree of one request-offer pair, and whether the pair may be used at all. */
export interface PairTerms {
  readonly feePerKwh: bigint;
  readonly zeta: bigint;
  /** M in micro units; 0 when the pair is not usable. */
  readonly degree: bigint;
  /** Price within the request's maximum, zeta >= 0, neither side cancelled. */
  readonly usable: boolean;
}
