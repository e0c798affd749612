/** Paper B's reputation-weighted matching: integer twins of the contracts, simulation, GAP bridge. */
export * from "./types";
export {
  checkAssignment,
  distanceTable,
  feePerKwh,
  higherLevel,
  matchingDegree,
  objectiveOf,
  pairFee,
  pairTerms,
  requestLock,
  revenue,
} from "./degree";
export {
  applyReputationCycles,
  emaWad,
  meanRatioWad,
  rcMicro,
  wadToNumber,
  type ReputationCycle,
  type ReputationStep,
} from "./reputation";
export {
  simulateReputation,
  toWad,
  type ProviderBehaviour,
  type ReputationSimulation,
  type ReputationSimulationOptions,
  type SimulatedProvider,
} from "./simulation";
export {
  DEFAULT_DELIVERY_BEHAVIOUR,
  PROVIDER_BEHAVIOURS,
  deliveryRatioSampler,
  type DeliveryBehaviourOptions,
} from "./behaviour";
export { mulberry32, deriveSeed, type Prng } from "./prng";
export {
  toGapInstance,
  toOnChainAssignment,
  primaryObjective,
  TIE_BREAK_SCALE,
  type MatchingGap,
  type MatchingGapOptions,
} from "./toGap";
