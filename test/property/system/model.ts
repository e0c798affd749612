import type { Wallet } from "ethers";
import type { World } from "./world";

/**
 * What the fuzz knows about the market, built only from the events of the transactions it sent: the
 * invariants compare the chain with it and with the TypeScript twins in src/core.
 */
export interface OrderM {
  readonly index: number;
  readonly participant: string;
  readonly side: "seller" | "buyer";
  readonly energyWh: bigint;
  quote: bigint;
  readonly firstQuote: bigint;
  cancelled: boolean;
  matchedWh: bigint;
  /** Released by finalize (nothing traded, or the rest after the settlement deadline passed). */
  released: boolean;
}

export interface PeriodM {
  readonly id: bigint;
  readonly region: number;
  readonly tick: bigint;
  readonly feedIn: bigint;
  readonly retail: bigint;
  readonly roundDuration: bigint;
  readonly maxRounds: number;
  readonly orderCap: number;
  readonly margin: bigint;
  readonly deliveryStart: bigint;
  readonly deliveryEnd: bigint;
  readonly settlementDeadline: bigint;
  /** 1 Open, 2 Cleared, 3 Finalized. */
  phase: number;
  round: number;
  roundEndsAt: bigint;
  revisions: number;
  readonly orders: OrderM[];
  readonly roundsClosed: Set<number>;
  finalPrice: bigint | null;
  merit: { sellers: number[]; buyers: number[] } | null;
  allocations: Map<number, bigint> | null;
}

export interface OfferM {
  readonly index: number;
  readonly provider: string;
  readonly price: bigint;
  readonly capacityWh: bigint;
  readonly rcMicro: bigint;
  readonly region: number;
  readonly voltageLevel: number;
  cancelled: boolean;
  matchedWh: bigint;
}

export interface RequestM {
  readonly index: number;
  readonly user: string;
  readonly energyWh: bigint;
  readonly maxPrice: bigint;
  readonly region: number;
  readonly voltageLevel: number;
  cancelled: boolean;
  matchedWh: bigint;
}

export interface CycleM {
  readonly id: bigint;
  readonly region: number;
  readonly postingEnds: bigint;
  readonly submissionEnds: bigint;
  readonly deliveryStart: bigint;
  readonly deliveryEnd: bigint;
  readonly settlementDeadline: bigint;
  readonly requestCap: number;
  readonly offerCap: number;
  readonly margin: bigint;
  readonly alphaWad: bigint;
  readonly baseFee: readonly bigint[];
  readonly distanceFee: readonly bigint[];
  readonly offers: OfferM[];
  readonly requests: RequestM[];
  best: { assignment: number[]; objective: bigint } | null;
  finalized: boolean;
  applied: boolean;
  /** Delivery ratios recorded per provider (lower-case address). */
  readonly ratios: Map<string, bigint[]>;
}

export interface TradeM {
  readonly id: bigint;
  readonly market: "auction" | "matching";
  readonly period: bigint;
  readonly seller: string;
  readonly buyer: string;
  readonly energyWh: bigint;
  readonly price: bigint;
  readonly prepayment: bigint;
  /** Read from the escrow once, right after the action that created the trade. */
  terms: {
    sellerMargin: bigint;
    buyerMargin: bigint;
    lossToleranceBps: bigint;
    reward: bigint;
    deliveryStart: bigint;
    deliveryEnd: bigint;
    settlementDeadline: bigint;
  } | null;
  /** 1 Open, 2 Settled. */
  status: number;
  provider: bigint | null;
  user: bigint | null;
  unpaid: bigint;
}

export interface Model {
  now: bigint;
  readonly periods: PeriodM[];
  readonly cycles: CycleM[];
  readonly trades: TradeM[];
  /** Per meter device (lower-case address), the last accepted sequence. */
  readonly lastSeq: Map<string, bigint>;
  /** Registry status per account (lower-case): 0 None .. 5 Delisted. */
  readonly status: Map<string, number>;
  readonly openTrades: Map<string, number>;
  readonly defaults: Map<string, number>;
  readonly reputation: Map<string, bigint>;
  /** The key of each registered account's meter device. */
  readonly meterOf: Map<string, Wallet>;
  readonly settlementAccount: Map<string, string>;
  lastApplied: number;
  /** What the action being run submitted, for the checks of its events. */
  submitted: { merit?: { sellers: number[]; buyers: number[] }; assignment?: number[] };
  /** The chain's values as last read (probe), per account, period and cycle. */
  readonly balances: Map<string, { free: bigint; locked: bigint; byMarkets: bigint }>;
  totals: { tokenBalance: bigint; totalFree: bigint; totalLocked: bigint; rewardPool: bigint };
  readonly chainPeriods: Map<bigint, { phase: number; round: number; roundEndsAt: bigint }>;
  readonly chainCycles: Map<bigint, number>;
}

export const lower = (a: string) => a.toLowerCase();

export function initialModel(w: World): Model {
  const m: Model = {
    now: 0n,
    periods: [],
    cycles: [],
    trades: [],
    lastSeq: new Map(),
    status: new Map(),
    openTrades: new Map(),
    defaults: new Map(),
    reputation: new Map(),
    meterOf: new Map(),
    settlementAccount: new Map(),
    lastApplied: 0,
    submitted: {},
    balances: new Map(),
    totals: { tokenBalance: 0n, totalFree: 0n, totalLocked: 0n, rewardPool: 0n },
    chainPeriods: new Map(),
    chainCycles: new Map(),
  };
  for (const p of w.prosumers) {
    m.status.set(lower(p.address), 2);
    m.meterOf.set(lower(p.address), p.meter);
    m.settlementAccount.set(lower(p.address), p.address);
  }
  return m;
}

export function statusOf(m: Model, account: string): number {
  return m.status.get(lower(account)) ?? 0;
}

/** Approved and below the default limit (the world keeps the deployment's limit of 3). */
export function eligible(m: Model, account: string): boolean {
  return statusOf(m, account) === 2 && (m.defaults.get(lower(account)) ?? 0) < 3;
}

export function freeOf(m: Model, account: string): bigint {
  return m.balances.get(lower(account))?.free ?? 0n;
}

/** What the open trades hold of an account's locked balance, from the trades' terms. */
export function heldByOpenTrades(m: Model, account: string): bigint {
  let held = 0n;
  const a = lower(account);
  for (const t of m.trades) {
    if (t.status !== 1) continue;
    if (lower(t.seller) === a) held += t.terms!.sellerMargin;
    if (lower(t.buyer) === a) held += t.terms!.buyerMargin + t.prepayment;
  }
  return held;
}
