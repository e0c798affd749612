/**
 * The demo's report (report.json) built from what was read back from the chain (facts.ts): per auction
 * hour the quotes, traded energy, battery, grid and price; the reputation of every provider after every
 * cycle; the settlement of every trade. Plain JSON: prices and money in currency units, energy in kWh.
 */
import { settleStorage, socToStoredWh } from "../auction/battery";
import { checkNash } from "../auction/nashCheck";
import type { MarketKind, NashMarket, Side } from "../auction/types";
import { wadToNumber } from "../matching/reputation";
import type { ProviderBehaviour } from "../matching/behaviour";
import { costDown, type TradeRecord } from "../settlement";
import { baseUnitsToCurrency } from "../units";
import type { AuctionPeriodFacts, LedgerFacts, ReputationFacts } from "./facts";

export interface DemoReport {
  readonly auction: readonly AuctionHourReport[];
  readonly reputation: ReputationReport;
  readonly settlement: SettlementReport;
}

export interface AuctionHourReport {
  readonly hour: number;
  readonly periodId: number;
  readonly market: MarketKind;
  /** The final price, from the last RoundClosed event. */
  readonly price: number;
  /** Rounds published with quote changes: round 1 (everyone's first quote) and every later round with revisions. */
  readonly rounds: number;
  /** Every round closed on chain, the last one (no revisions) ending the auction. */
  readonly roundsClosed: number;
  /** No participant gains by a unilateral move from the final on-chain quotes (checkNash). */
  readonly nash: boolean;
  /** Every published round: its price and the quotes it was cleared with. */
  readonly trace: readonly {
    readonly round: number;
    readonly price: number;
    /** Quote revisions published with this round (0 in round 1: everyone's first quote). */
    readonly revisions: number;
    readonly quotes: Record<string, number>;
  }[];
  /** Sellers and buyers in order of their orders. */
  readonly participants: readonly AuctionParticipantReport[];
  readonly trades: readonly {
    readonly tradeId: number;
    readonly seller: string;
    readonly buyer: string;
    readonly kwh: number;
    readonly price: number;
  }[];
}

export interface AuctionParticipantReport {
  readonly id: string;
  readonly side: Side;
  /** Surplus (seller) or deficit (buyer) of its order. */
  readonly kwh: number;
  /** Its first quote: the minimum (seller) or maximum (buyer) price. */
  readonly reservation: number;
  readonly quote: number;
  readonly tradedKwh: number;
  /** Charged (seller) or discharged (buyer). */
  readonly batteryKwh: number;
  /** Fed in (seller) or drawn (buyer). */
  readonly gridKwh: number;
  readonly batteryCapacityKwh: number;
  readonly socBefore: number;
  /** Rounded to 4 decimals, as auction:nash reports it. */
  readonly socAfter: number;
}

export interface ReputationReport {
  readonly alpha: number;
  readonly seed: number;
  readonly cycleIds: readonly number[];
  readonly providers: readonly ProviderReputationReport[];
}

export interface ProviderReputationReport {
  readonly id: string;
  readonly behaviour: ProviderBehaviour;
  /** RC after each cycle (unchanged in a cycle without trades). */
  readonly reputation: readonly number[];
  /** C of each cycle, null without trades. */
  readonly current: readonly (number | null)[];
  readonly trades: readonly number[];
  /** Trades delivered short (delivered < agreed). */
  readonly shortTrades: readonly number[];
  /** reputationOf(provider) at the end. */
  readonly final: number;
}

export interface SettlementReport {
  readonly trades: number;
  readonly settled: number;
  readonly certificatesWh: number;
  /** token.balanceOf(escrow) == totalFree + totalLocked + rewardPool. */
  readonly escrowConserved: boolean;
  readonly escrow: {
    readonly holds: number;
    readonly free: number;
    readonly locked: number;
    readonly rewardPool: number;
  };
  readonly totals: {
    readonly payments: number;
    readonly refunds: number;
    readonly rewards: number;
    readonly rewardsOwed: number;
    readonly penalties: number;
    readonly defaults: number;
  };
  readonly list: readonly TradeSettlementReport[];
}

export interface TradeSettlementReport {
  readonly id: number;
  readonly market: "auction" | "matching" | "other";
  /** "hour 24", "cycle 3". */
  readonly when: string;
  readonly seller: string;
  readonly buyer: string;
  readonly agreedKwh: number;
  readonly price: number;
  readonly status: string;
  /** rho and gamma as settled. */
  readonly providerKwh: number | null;
  readonly userKwh: number | null;
  readonly payment: number | null;
  readonly refund: number | null;
  readonly reward: number | null;
  /** What under-delivery cut from the provider's payment (refunded to the user): r x (R - gamma) when rho < R. */
  readonly penalty: number | null;
  readonly providerDefaulted: boolean;
  readonly userDefaulted: boolean;
  readonly certificatesWh: number;
}

export interface HourFacts {
  readonly hour: number;
  readonly facts: AuctionPeriodFacts;
  /** State of charge before the hour, by participant id (off-chain: no contract holds it). */
  readonly socBefore: ReadonlyMap<string, number>;
}

export interface ReputationInput {
  /** The seed of the deliveries (an input of the run; alpha comes from the chain). */
  readonly seed: number;
  readonly cycleIds: readonly bigint[];
  readonly providers: readonly {
    readonly id: string;
    readonly behaviour: ProviderBehaviour;
    readonly address: string;
  }[];
  readonly facts: ReputationFacts;
}

export interface DemoReportInput {
  /** Participant id by lower-case address. */
  readonly names: ReadonlyMap<string, string>;
  readonly hours: readonly HourFacts[];
  readonly reputation: ReputationInput;
  readonly ledger: LedgerFacts;
}

export function buildDemoReport(input: DemoReportInput): DemoReport {
  const name = (address: string) => input.names.get(address.toLowerCase()) ?? address;
  return {
    auction: input.hours.map((h) => auctionHourReport(h, input.ledger, name)),
    reputation: reputationReport(input.reputation, input.ledger),
    settlement: settlementReport(input, name),
  };
}

const kwh = (wh: bigint): number => Number(wh) / 1000;
const money = baseUnitsToCurrency;
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The trades a market created in one of its periods (cycle ids for the matching), from the escrow. */
export function periodTrades(ledger: LedgerFacts, market: string, period: bigint): TradeRecord[] {
  return ledger.trades.filter((t) => same(t.market, market) && t.period === period);
}

function auctionHourReport(
  input: HourFacts,
  ledger: LedgerFacts,
  name: (address: string) => string,
): AuctionHourReport {
  const { facts } = input;
  const orders = facts.orders.filter((o) => !o.cancelled);
  const trades = periodTrades(ledger, ledger.auctionAddress, facts.periodId);
  const last = facts.rounds[facts.rounds.length - 1];

  // every round's quotes: first quotes, then each round's revisions
  const quotes = new Map(orders.map((o) => [o.index, o.firstQuote]));
  const trace = facts.rounds.map((r) => {
    for (const v of facts.revisions) if (v.round === r.round) quotes.set(v.order, v.newQuote);
    return {
      round: r.round,
      price: money(r.price),
      revisions: r.revisions,
      quotes: Object.fromEntries(orders.map((o) => [name(o.participant), money(quotes.get(o.index)!)])),
    };
  });

  const market: NashMarket = {
    tick: facts.tick,
    feedInTariff: facts.feedInTariff,
    retailTariff: facts.retailTariff,
    participants: orders.map((o) => ({
      id: String(o.index),
      side: o.side,
      energyWh: o.energyWh,
      reservation: o.firstQuote,
      seq: o.index,
    })),
  };
  const nash =
    orders.length > 0 &&
    checkNash(
      market,
      orders.map((o) => o.quote),
    ).isNash;

  const participants = orders.map((o): AuctionParticipantReport => {
    const id = name(o.participant);
    const tradedWh = trades
      .filter((t) => same(o.side === "seller" ? t.seller : t.buyer, o.participant))
      .reduce((sum, t) => sum + t.energyWh, 0n);
    const capacityWh = ledger.batteryWh.get(o.participant.toLowerCase()) ?? 0n;
    const socBefore = input.socBefore.get(id) ?? 0;
    const storage = settleStorage({
      id,
      side: o.side,
      energyWh: o.energyWh,
      tradedWh,
      battery: { capacityWh, storedWh: socToStoredWh(socBefore, capacityWh) },
    });
    return {
      id,
      side: o.side,
      kwh: kwh(o.energyWh),
      reservation: money(o.firstQuote),
      quote: money(o.quote),
      tradedKwh: kwh(storage.tradedWh),
      batteryKwh: kwh(storage.batteryWh),
      gridKwh: kwh(storage.gridWh),
      batteryCapacityKwh: kwh(capacityWh),
      socBefore,
      socAfter: Math.round(storage.socAfter * 10_000) / 10_000,
    };
  });

  return {
    hour: input.hour,
    periodId: Number(facts.periodId),
    market: last?.market ?? "empty",
    price: last ? money(last.price) : 0,
    rounds: facts.rounds.filter((r) => r.round === 1 || r.revisions > 0).length,
    roundsClosed: facts.rounds.length,
    nash,
    trace,
    participants,
    trades: trades.map((t) => ({
      tradeId: Number(t.id),
      seller: name(t.seller),
      buyer: name(t.buyer),
      kwh: kwh(t.energyWh),
      price: money(t.pricePerKwh),
    })),
  };
}

function reputationReport(input: ReputationInput, ledger: LedgerFacts): ReputationReport {
  const providers = input.providers.map((p): ProviderReputationReport => {
    let rc = 0n;
    const reputation: number[] = [];
    const current: (number | null)[] = [];
    const trades: number[] = [];
    const shortTrades: number[] = [];
    for (const cycleId of input.cycleIds) {
      const update = input.facts.updates.find((u) => u.cycleId === cycleId && same(u.provider, p.address));
      if (update) rc = update.comprehensiveWad;
      reputation.push(wadToNumber(rc));
      current.push(update ? wadToNumber(update.currentWad) : null);
      const own = periodTrades(ledger, ledger.matchingAddress, cycleId).filter((t) => same(t.seller, p.address));
      trades.push(own.length);
      shortTrades.push(own.filter((t) => deliveredWh(t, ledger) < t.energyWh).length);
    }
    return {
      id: p.id,
      behaviour: p.behaviour,
      reputation,
      current,
      trades,
      shortTrades,
      final: wadToNumber(input.facts.finalWad.get(p.address.toLowerCase()) ?? 0n),
    };
  });
  // each cycle keeps the alpha it was opened with; the demo opens them all with the same one
  const alphas = [...new Set(input.cycleIds.map((id) => input.facts.alphaWad.get(id) ?? 0n))];
  if (alphas.length > 1) throw new RangeError(`reputation: the cycles were opened with different alphas ${alphas}`);
  return { alpha: wadToNumber(alphas[0] ?? 0n), seed: input.seed, cycleIds: input.cycleIds.map(Number), providers };
}

/** min(rho, gamma) as settled; 0 while open. */
function deliveredWh(trade: TradeRecord, ledger: LedgerFacts): bigint {
  const s = ledger.settlements.get(trade.id);
  if (!s) return 0n;
  return s.providerWh < s.userWh ? s.providerWh : s.userWh;
}

function settlementReport(input: DemoReportInput, name: (address: string) => string): SettlementReport {
  const { ledger } = input;
  const hourOf = new Map(input.hours.map((h) => [h.facts.periodId, h.hour]));
  const list = ledger.trades.map((t): TradeSettlementReport => {
    const s = ledger.settlements.get(t.id) ?? null;
    const market = same(t.market, ledger.auctionAddress)
      ? "auction"
      : same(t.market, ledger.matchingAddress)
      ? "matching"
      : "other";
    const when =
      market === "auction"
        ? `hour ${hourOf.get(t.period) ?? `? (period ${t.period})`}`
        : market === "matching"
        ? `cycle ${t.period}`
        : `period ${t.period}`;
    return {
      id: Number(t.id),
      market,
      when,
      seller: name(t.seller),
      buyer: name(t.buyer),
      agreedKwh: kwh(t.energyWh),
      price: money(t.pricePerKwh),
      status: t.status,
      providerKwh: s ? kwh(s.providerWh) : null,
      userKwh: s ? kwh(s.userWh) : null,
      payment: s ? money(s.sellerPayment) : null,
      refund: s ? money(s.buyerRefund) : null,
      reward: s ? money(s.rewardPaid) : null,
      penalty: s ? money(costDown(t.energyWh, t.pricePerKwh) - s.sellerPayment) : null,
      providerDefaulted: s?.providerDefaulted ?? false,
      userDefaulted: s?.userDefaulted ?? false,
      certificatesWh: Number(ledger.certificatesWh.get(t.id) ?? 0n),
    };
  });
  let payments = 0n;
  let refunds = 0n;
  let rewards = 0n;
  let rewardsOwed = 0n;
  let penalties = 0n;
  let defaults = 0;
  for (const t of ledger.trades) {
    const s = ledger.settlements.get(t.id);
    if (!s) continue;
    payments += s.sellerPayment;
    refunds += s.buyerRefund;
    rewards += s.rewardPaid;
    rewardsOwed += s.rewardUnpaid;
    penalties += costDown(t.energyWh, t.pricePerKwh) - s.sellerPayment;
    defaults += Number(s.providerDefaulted) + Number(s.userDefaulted);
  }
  return {
    trades: list.length,
    settled: list.filter((r) => r.status === "Settled").length,
    certificatesWh: list.reduce((acc, r) => acc + r.certificatesWh, 0),
    escrowConserved: ledger.tokenBalance === ledger.totalFree + ledger.totalLocked + ledger.rewardPool,
    escrow: {
      holds: money(ledger.tokenBalance),
      free: money(ledger.totalFree),
      locked: money(ledger.totalLocked),
      rewardPool: money(ledger.rewardPool),
    },
    totals: {
      payments: money(payments),
      refunds: money(refunds),
      rewards: money(rewards),
      rewardsOwed: money(rewardsOwed),
      penalties: money(penalties),
      defaults,
    },
    list,
  };
}
