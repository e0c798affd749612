/**
 * Runs a parsed scenario end to end: Nash iteration, final clearing (bigint reference), bilateral
 * trades, Nash check, battery and grid accounting; and the report for humans and scripts.
 */
import { baseUnitsToCurrency } from "../units";
import { settleStorage, type StorageOutcome } from "./battery";
import { clearMarket } from "./clearing";
import { solveNash, type NashOptions, type NashResult } from "./nash";
import { checkNash, type NashCheck } from "./nashCheck";
import { ordersFor } from "./nashMarket";
import { roundSnapshots } from "./nashRounds";
import { scenarioMarket, type Scenario } from "./scenario";
import { tradesFromClearing } from "./trades";
import type { Clearing, MarketKind, NashMarket, Side, Trade } from "./types";

/** The report: plain JSON, prices in currency per kWh, energy in kWh. */
export interface ScenarioReport {
  readonly market: Exclude<MarketKind, "empty">;
  readonly price: number;
  readonly converged: boolean;
  /** True when no participant gains by any unilateral move (checkNash). */
  readonly nash: boolean;
  /** Every published round, round 1 first; the last one holds the final quotes. */
  readonly rounds: readonly ReportRound[];
  /** Sellers then buyers, in scenario order. */
  readonly participants: readonly ReportParticipant[];
}

export interface ReportRound {
  readonly round: number;
  readonly price: number;
  readonly quotes: Readonly<Record<string, number>>;
}

export interface ReportParticipant {
  readonly id: string;
  readonly side: Side;
  readonly quote: number;
  readonly tradedKwh: number;
  /** Charged (seller) or discharged (buyer). */
  readonly batteryKwh: number;
  /** Fed in (seller) or drawn (buyer). */
  readonly gridKwh: number;
  /** State of charge after the period, rounded to 4 decimals (a hundredth of a percent). */
  readonly socAfter: number;
}

/** Everything computed on the way, for the formatter and for callers that post results. */
export interface ScenarioRun {
  readonly scenario: Scenario;
  readonly market: NashMarket;
  readonly nash: NashResult;
  readonly check: NashCheck;
  readonly clearing: Clearing;
  readonly trades: readonly Trade[];
  /** Aligned with scenario.participants. */
  readonly storage: readonly StorageOutcome[];
  readonly report: ScenarioReport;
}

export function runScenarioDetailed(scenario: Scenario, options: Partial<NashOptions> = {}): ScenarioRun {
  const market = scenarioMarket(scenario);
  const nash = solveNash(market, options);
  if (nash.market === "empty") throw new RangeError("a scenario needs sellers and buyers");
  const clearing = clearMarket(ordersFor(market, nash.quotes));
  const trades = tradesFromClearing(clearing);
  const check = checkNash(market, nash.quotes);
  const storage = scenario.participants.map((p) =>
    settleStorage({
      id: p.id,
      side: p.side,
      energyWh: p.energyWh,
      tradedWh: clearing.allocations.get(p.id) ?? 0n,
      battery: { capacityWh: p.capacityWh, storedWh: p.storedWh },
    }),
  );
  const report = buildReport(scenario, nash, nash.market, check, storage);
  return { scenario, market, nash, check, clearing, trades, storage, report };
}

/** The report only. */
export function runScenario(scenario: Scenario, options: Partial<NashOptions> = {}): ScenarioReport {
  return runScenarioDetailed(scenario, options).report;
}

function buildReport(
  scenario: Scenario,
  nash: NashResult,
  market: Exclude<MarketKind, "empty">,
  check: NashCheck,
  storage: readonly StorageOutcome[],
): ScenarioReport {
  const ids = scenario.participants.map((p) => p.id);
  const rounds = [...roundSnapshots(nash.rounds)].map((snapshot) => ({
    round: snapshot.round,
    price: baseUnitsToCurrency(snapshot.price),
    quotes: Object.fromEntries(ids.map((id, i) => [id, baseUnitsToCurrency(snapshot.quotes[i])])),
  }));
  const participants = scenario.participants.map((p, i) => ({
    id: p.id,
    side: p.side,
    quote: baseUnitsToCurrency(nash.quotes[i]),
    tradedKwh: whToKwh(storage[i].tradedWh),
    batteryKwh: whToKwh(storage[i].batteryWh),
    gridKwh: whToKwh(storage[i].gridWh),
    socAfter: Math.round(storage[i].socAfter * 10_000) / 10_000,
  }));
  return {
    market,
    price: baseUnitsToCurrency(nash.price),
    converged: nash.converged,
    nash: check.isNash,
    rounds,
    participants,
  };
}

export function whToKwh(wh: bigint): number {
  return Number(wh) / 1000;
}
