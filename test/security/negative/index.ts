import type { NegativeSuite } from "./types";
import { participantRegistrySuite } from "./ParticipantRegistry.cases";
import { energyEscrowSuite } from "./EnergyEscrow.cases";
import { greenCertificateSuite } from "./GreenCertificate.cases";
import { settlementTokenSuite } from "./SettlementToken.cases";
import { doubleAuctionSuite } from "./DoubleAuction.cases";
import { reputationMatchingSuite } from "./ReputationMatching.cases";

/** Every contract's negative suite; the runner checks each covers every state-changing function of its ABI. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const NEGATIVE_SUITES: readonly NegativeSuite<any>[] = [
  participantRegistrySuite,
  energyEscrowSuite,
  doubleAuctionSuite,
  reputationMatchingSuite,
  greenCertificateSuite,
  settlementTokenSuite,
];
