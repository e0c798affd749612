import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id } from "ethers";
import RegistryModule from "./Registry";
import type { buildEscrowModule } from "./Escrow";

const MARKET_ROLE = id("MARKET_ROLE");

/**
 * The two trading modes on top of the registry and the escrow:
 * - DoubleAuction (paper A): needs MARKET_ROLE on the escrow to lock funds and create trades.
 * - ReputationMatching (paper B): MARKET_ROLE on the escrow, MARKET_ROLE on the registry (it pushes
 *   reputation), and it is the escrow's reputation store (delivery ratios arrive at settlement).
 * Parameters (optional): alphaWad, the EMA weight of the current reputation (default 0.4e18).
 */
export function buildMarketsModule(escrowModule: ReturnType<typeof buildEscrowModule>) {
  const auctionModule = buildModule("Auction", (m) => {
    const { registry } = m.useModule(RegistryModule);
    const { escrow } = m.useModule(escrowModule);
    const auction = m.contract("DoubleAuction", [m.getAccount(0), registry, escrow]);
    m.call(escrow, "grantRole", [MARKET_ROLE, auction], { id: "GrantAuctionMarketRole" });
    return { auction };
  });
  const matchingModule = buildModule("Matching", (m) => {
    const { registry } = m.useModule(RegistryModule);
    const { escrow } = m.useModule(escrowModule);
    const alphaWad = m.getParameter("alphaWad", 400_000_000_000_000_000n);
    const matching = m.contract("ReputationMatching", [m.getAccount(0), registry, escrow, alphaWad]);
    m.call(escrow, "grantRole", [MARKET_ROLE, matching], { id: "GrantMatchingMarketRole" });
    m.call(registry, "grantRole", [MARKET_ROLE, matching], { id: "GrantMatchingRegistryRole" });
    m.call(escrow, "setReputationStore", [matching], { id: "SetReputationStore" });
    return { matching };
  });
  return { auctionModule, matchingModule };
}
