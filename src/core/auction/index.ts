/** The double auction of SPEC section 3: reference clearing, trades, storage, Nash iteration, scenarios. */
export * from "./types";
export { compareSellers, compareBuyers, comparatorFor, meritOrder, verifyMeritOrder } from "./meritOrder";
export type { Ordering, MeritOrderRule, MeritOrderCheck } from "./meritOrder";
export { InvalidOrderError, orderProblems, assertValidOrders } from "./orderValidation";
export { clearMarket, clearWithMeritOrder, orderUtility } from "./clearing";
export { tradesFromClearing } from "./trades";
export { settleStorage, socToStoredWh, storedWhToSoc, SOC_PPM } from "./battery";
export type { BatteryState, EnergyPosition, StorageOutcome } from "./battery";
export {
  InvalidMarketError,
  nashMarketProblems,
  assertValidNashMarket,
  marketKindOf,
  effectiveReservation,
  allowedQuoteRange,
  initialQuotes,
  ordersFor,
} from "./nashMarket";
export { solveNash, bestReply, DEFAULT_NASH_OPTIONS } from "./nash";
export type { NashOptions, NashStatus, NashResult, BestReply } from "./nash";
export { roundSnapshots, roundSnapshot } from "./nashRounds";
export type { IndexedValue, NashRound, RoundSnapshot } from "./nashRounds";
export { checkNash, checkNashBruteForce, bruteForceBestReply, DEFAULT_BRUTE_FORCE_OPTIONS } from "./nashCheck";
export type { NashCheck, NashDeviation, BruteForceOptions } from "./nashCheck";
export { ScenarioError, parseScenario, scenarioMarket } from "./scenario";
export type { Scenario, ScenarioParticipant } from "./scenario";
export { runScenario, runScenarioDetailed } from "./scenarioRun";
export type { ScenarioReport, ReportRound, ReportParticipant, ScenarioRun } from "./scenarioRun";
export { formatRoundTrace, formatResultTable, formatTrades, formatScenarioRun } from "./scenarioFormat";
export { randomMarket, DEFAULT_RANDOM_MARKET_OPTIONS } from "./randomMarket";
export type { RandomMarketOptions } from "./randomMarket";
