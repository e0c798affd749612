import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id } from "ethers";
import RegistryModule from "./Registry";
import { TestTokenModule, type TokenModule } from "./Token";

const MARKET_ROLE = id("MARKET_ROLE");
const MINTER_ROLE = id("MINTER_ROLE");

/**
 * The escrow and the green certificates, wired to the registry and the settlement token. Parameters (optional):
 *   lossToleranceBps  tau as basis points of the agreed energy (default 500 = 5 %)
 *   rewardPerTrade    honesty reward Token in token base units (default 1000000 = 1 gEUR)
 *   certificateUri    ERC-1155 metadata URI with {id} (the vintage)
 * Grants: the escrow gets MARKET_ROLE on the registry (trade counters) and MINTER_ROLE on the certificates.
 * The deployer (account 0) must be the registry's admin and becomes the escrow's and certificates' admin.
 */
export function buildEscrowModule(tokenModule: TokenModule) {
  return buildModule("Escrow", (m) => {
    const admin = m.getAccount(0);
    const { registry } = m.useModule(RegistryModule);
    const { token } = m.useModule(tokenModule);
    const certificates = m.contract("GreenCertificate", [
      admin,
      m.getParameter("certificateUri", "https://greengrid.example/certificates/{id}.json"),
    ]);
    const escrow = m.contract("EnergyEscrow", [
      admin,
      registry,
      token,
      certificates,
      {
        lossToleranceBps: m.getParameter("lossToleranceBps", 500),
        rewardPerTrade: m.getParameter("rewardPerTrade", 1_000_000),
      },
    ]);
    m.call(registry, "grantRole", [MARKET_ROLE, escrow], { id: "GrantEscrowMarketRole" });
    m.call(certificates, "grantRole", [MINTER_ROLE, escrow], { id: "GrantEscrowMinterRole" });
    return { escrow, certificates };
  });
}

export default buildEscrowModule(TestTokenModule);
