/**
 * Settlement of one trade by SPEC section 6: the pure TypeScript twin of contracts/libraries/SettlementMath.sol.
 * Same integers, same rounding, same results (checked against the contract on random cases).
 * Units: energy in Wh, prices in token base units per kWh, amounts in token base units, ratios as WAD (1e18 = 1.0).
 */
import { costDown, costUp, mulDivDown } from "./units";

export const BPS = 10_000n;
export const WAD = 10n ** 18n;
/** The escrow's cap on the loss tolerance (100 %). */
export const MAX_LOSS_TOLERANCE_BPS = 10_000;

export { costDown, costUp };

export interface SettlementInput {
  /** R, the agreed energy (> 0). */
  readonly agreedWh: bigint;
  /** r, token base units per kWh. */
  readonly pricePerKwh: bigint;
  readonly lossToleranceBps: bigint;
  /** Token, the full honesty reward. */
  readonly reward: bigint;
  /** costUp(R, r), what the buyer prepaid. */
  readonly prepayment: bigint;
  readonly sellerMargin: bigint;
  readonly buyerMargin: bigint;
  /** null when the provider meter stayed silent up to the deadline. */
  readonly providerWh: bigint | null;
  /** null when the user meter stayed silent up to the deadline. */
  readonly userWh: bigint | null;
}

export interface SettlementOutcome {
  readonly rhoWh: bigint;
  readonly gammaWh: bigint;
  readonly providerDefaulted: boolean;
  readonly userDefaulted: boolean;
  readonly sellerPayment: bigint;
  readonly buyerRefund: bigint;
  /** Payment plus the margins the seller receives. */
  readonly sellerCredit: bigint;
  /** Refund plus the margins the buyer receives. */
  readonly buyerCredit: bigint;
  readonly rewardDue: bigint;
  /** min(rho, gamma, R). */
  readonly deliveredWh: bigint;
  readonly ratioWad: bigint;
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** tau = R * bps / 10000, rounded down: a smaller tolerance never grants an unintended reward. */
export function lossToleranceWh(agreedWh: bigint, lossToleranceBps: bigint): bigint {
  return mulDivDown(agreedWh, lossToleranceBps, BPS);
}

/** Silent meters: a silent provider counts as rho = 0, a silent user as gamma = rho. */
export function effectiveReadings(
  providerWh: bigint | null,
  userWh: bigint | null,
): { rhoWh: bigint; gammaWh: bigint } {
  const rhoWh = providerWh ?? 0n;
  return { rhoWh, gammaWh: userWh ?? rhoWh };
}

/** costDown(R, r) when rho >= R; otherwise cut by r * (R - gamma): costDown(min(gamma, R), r). */
export function providerPayment(agreedWh: bigint, pricePerKwh: bigint, rhoWh: bigint, gammaWh: bigint): bigint {
  return costDown(rhoWh >= agreedWh ? agreedWh : min(gammaWh, agreedWh), pricePerKwh);
}

/** Token if gamma >= R; Token/2 (rounded down) if rho >= R and gamma >= R - tau; else 0; 0 for a silent provider. */
export function honestyReward(
  agreedWh: bigint,
  toleranceWh: bigint,
  rhoWh: bigint,
  gammaWh: bigint,
  reward: bigint,
  providerDefaulted: boolean,
): bigint {
  if (providerDefaulted) return 0n;
  if (gammaWh >= agreedWh) return reward;
  if (rhoWh >= agreedWh && gammaWh + toleranceWh >= agreedWh) return reward / 2n;
  return 0n;
}

/** v = min(delivered, R) / R as a WAD, rounded down: reputation is never overstated. */
export function deliveryRatioWad(deliveredWh: bigint, agreedWh: bigint): bigint {
  return mulDivDown(min(deliveredWh, agreedWh), WAD, agreedWh);
}

/** The whole settlement; sellerCredit + buyerCredit == prepayment + both margins. */
export function settleTrade(input: SettlementInput): SettlementOutcome {
  if (input.agreedWh <= 0n) throw new RangeError("settleTrade: agreedWh must be positive");
  const { rhoWh, gammaWh } = effectiveReadings(input.providerWh, input.userWh);
  const providerDefaulted = input.providerWh === null;
  const userDefaulted = input.userWh === null;
  const sellerPayment = providerPayment(input.agreedWh, input.pricePerKwh, rhoWh, gammaWh);
  const buyerRefund = input.prepayment - sellerPayment;
  if (buyerRefund < 0n) throw new RangeError("settleTrade: prepayment is smaller than the payment");
  const sellerForfeits = providerDefaulted && !userDefaulted;
  const buyerForfeits = userDefaulted && !providerDefaulted;
  const sellerCredit =
    sellerPayment + (sellerForfeits ? 0n : input.sellerMargin) + (buyerForfeits ? input.buyerMargin : 0n);
  const buyerCredit =
    buyerRefund + (buyerForfeits ? 0n : input.buyerMargin) + (sellerForfeits ? input.sellerMargin : 0n);
  const rewardDue = honestyReward(
    input.agreedWh,
    lossToleranceWh(input.agreedWh, input.lossToleranceBps),
    rhoWh,
    gammaWh,
    input.reward,
    providerDefaulted,
  );
  const deliveredWh = min(min(rhoWh, gammaWh), input.agreedWh);
  return {
    rhoWh,
    gammaWh,
    providerDefaulted,
    userDefaulted,
    sellerPayment,
    buyerRefund,
    sellerCredit,
    buyerCredit,
    rewardDue,
    deliveredWh,
    ratioWad: deliveryRatioWad(deliveredWh, input.agreedWh),
  };
}

/** Mirrors IEnergyEscrow.TradeStatus; the index is the on-chain enum value. */
export const TRADE_STATUSES = ["None", "Open", "Settled"] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];

/** A trade as read from the escrow, in chain units. */
export interface TradeRecord {
  readonly id: bigint;
  readonly status: TradeStatus;
  readonly market: string;
  readonly seller: string;
  readonly buyer: string;
  readonly period: bigint;
  readonly energyWh: bigint;
  readonly pricePerKwh: bigint;
  readonly deliveryStart: bigint;
  readonly deliveryEnd: bigint;
  readonly settlementDeadline: bigint;
  readonly sellerMargin: bigint;
  readonly buyerMargin: bigint;
  readonly prepayment: bigint;
  readonly lossToleranceBps: bigint;
  readonly reward: bigint;
}

/** The latest accepted reading of one side, or null when that meter has not reported. */
export interface SideReadingRecord {
  readonly energyWh: bigint;
  readonly sequence: bigint;
  readonly submittedAt: bigint;
}

export interface SettlementRecord {
  readonly providerWh: bigint;
  readonly userWh: bigint;
  readonly settledAt: bigint;
  readonly providerDefaulted: boolean;
  readonly userDefaulted: boolean;
  readonly sellerPayment: bigint;
  readonly buyerRefund: bigint;
  readonly rewardPaid: bigint;
  readonly rewardUnpaid: bigint;
}

/** Where a trade stands at `now` (seconds): what a person needs to know before acting on it. */
export type TradePhase =
  | "unknown"
  | "before-delivery"
  | "delivering"
  | "awaiting-readings"
  | "settleable"
  | "due"
  | "settled";

export function tradePhase(
  trade: Pick<TradeRecord, "status" | "deliveryStart" | "deliveryEnd" | "settlementDeadline">,
  bothReported: boolean,
  now: bigint,
): TradePhase {
  if (trade.status === "None") return "unknown";
  if (trade.status === "Settled") return "settled";
  if (now >= trade.settlementDeadline) return "due";
  if (now < trade.deliveryStart) return "before-delivery";
  if (now < trade.deliveryEnd) return "delivering";
  return bothReported ? "settleable" : "awaiting-readings";
}

/** What settling `trade` with the given readings would do now (the contract's own formula, off-chain). */
export function previewSettlement(
  trade: TradeRecord,
  provider: SideReadingRecord | null,
  user: SideReadingRecord | null,
): SettlementOutcome {
  return settleTrade({
    agreedWh: trade.energyWh,
    pricePerKwh: trade.pricePerKwh,
    lossToleranceBps: trade.lossToleranceBps,
    reward: trade.reward,
    prepayment: trade.prepayment,
    sellerMargin: trade.sellerMargin,
    buyerMargin: trade.buyerMargin,
    providerWh: provider ? provider.energyWh : null,
    userWh: user ? user.energyWh : null,
  });
}
