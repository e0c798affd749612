/**
 * What the demo reads back from the chain after its run, in core types (src/chain/demo/readers.ts fills
 * them). The report is built from these facts only: nothing in it is copied from the engines' inputs,
 * except the batteries' states of charge before each hour, which no contract holds.
 */
import type { MarketKind, Side } from "../auction/types";
import type { SettlementRecord, TradeRecord } from "../settlement";

/** An auction order as the contract holds it after the auction: its first and its final quote. */
export interface AuctionOrderFact {
  readonly index: number;
  readonly participant: string;
  readonly side: Side;
  readonly energyWh: bigint;
  readonly firstQuote: bigint;
  readonly quote: bigint;
  readonly cancelled: boolean;
}

/** A RoundClosed event. */
export interface AuctionRoundFact {
  readonly round: number;
  readonly market: MarketKind;
  readonly price: bigint;
  readonly revisions: number;
}

/** A QuoteRevised event: `order` moved to `newQuote` in round `round` (published when that round closed). */
export interface QuoteRevisionFact {
  readonly round: number;
  readonly order: number;
  readonly newQuote: bigint;
}

export interface AuctionPeriodFacts {
  readonly periodId: bigint;
  readonly tick: bigint;
  readonly feedInTariff: bigint;
  readonly retailTariff: bigint;
  readonly deliveryStart: bigint;
  readonly deliveryEnd: bigint;
  readonly orders: readonly AuctionOrderFact[];
  readonly rounds: readonly AuctionRoundFact[];
  readonly revisions: readonly QuoteRevisionFact[];
}

/** A ReputationUpdated event of the matching contract. */
export interface ReputationUpdateFact {
  readonly provider: string;
  readonly cycleId: bigint;
  readonly currentWad: bigint;
  readonly comprehensiveWad: bigint;
}

export interface ReputationFacts {
  /** The alpha each cycle was opened with, by cycle id. */
  readonly alphaWad: ReadonlyMap<bigint, bigint>;
  readonly updates: readonly ReputationUpdateFact[];
  /** reputationOf(provider) at the end, keyed by lower-case address. */
  readonly finalWad: ReadonlyMap<string, bigint>;
}

/** The escrow's books: every trade, its settlement, the certificates it issued, and the totals. */
export interface LedgerFacts {
  readonly auctionAddress: string;
  readonly matchingAddress: string;
  readonly trades: readonly TradeRecord[];
  /** By trade id; null while a trade is open. */
  readonly settlements: ReadonlyMap<bigint, SettlementRecord | null>;
  /** Wh of green certificates issued by each trade's settlement (CertificateIssued events). */
  readonly certificatesWh: ReadonlyMap<bigint, bigint>;
  readonly tokenBalance: bigint;
  readonly totalFree: bigint;
  readonly totalLocked: bigint;
  readonly rewardPool: bigint;
  /** The registry's battery capacity of each participant, keyed by lower-case address. */
  readonly batteryWh: ReadonlyMap<string, bigint>;
}
