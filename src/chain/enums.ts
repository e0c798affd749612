import { id } from "ethers";
import { ELIGIBILITY, ENERGY_SOURCES, PARTICIPANT_STATUSES } from "../core/registry";
import { TRADE_STATUSES } from "../core/settlement";

/** Labels for the Solidity enums that appear in events and custom errors, keyed by internalType. */
export const ENUM_LABELS: Record<string, readonly string[]> = {
  "enum IParticipantRegistry.Status": PARTICIPANT_STATUSES,
  "enum IParticipantRegistry.EnergySource": ENERGY_SOURCES,
  "enum IParticipantRegistry.Eligibility": ELIGIBILITY,
  "enum IEnergyEscrow.TradeStatus": TRADE_STATUSES,
  // the member names as Solidity declares them, which is what a decoded error shows
  "enum IDoubleAuction.Side": ["Seller", "Buyer"],
  "enum IDoubleAuction.Phase": ["None", "Open", "Cleared", "Finalized"],
  "enum IDoubleAuction.MarketType": ["Empty", "Buyer", "Seller", "Balanced"],
  "enum IReputationMatching.Phase": ["None", "Posting", "Submission", "Finalizing", "Finalized", "ReputationApplied"],
};

/** Role ids as they appear in AccessControl errors, so a person reads a name, not a hash. */
export const ROLE_NAMES: Record<string, string> = Object.fromEntries(
  ["REGULATOR_ROLE", "MARKET_ROLE", "MINTER_ROLE", "OPERATOR_ROLE", "SOLVER_ROLE"].map((name) => [id(name), name]),
);
ROLE_NAMES["0x" + "0".repeat(64)] = "DEFAULT_ADMIN_ROLE";
