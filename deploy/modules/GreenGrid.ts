import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import RegistryModule from "./Registry";
import { buildEscrowModule } from "./Escrow";
import { buildMarketsModule } from "./Markets";
import { ExistingTokenModule, TestTokenModule, type TokenModule } from "./Token";

/**
 * The whole market, deployed in one command:
 *   npx hardhat ignition deploy deploy/modules/GreenGrid.ts --network localhost
 * With an existing settlement token (production), use deploy/modules/GreenGridExistingToken.ts and the
 * parameter Token.tokenAddress. The returned keys are the keys of CONTRACT_IDS in src/chain/deployments.ts.
 */
export function buildGreenGridModule(tokenModule: TokenModule) {
  return buildModule("GreenGrid", (m) => {
    const { registry } = m.useModule(RegistryModule);
    const { token } = m.useModule(tokenModule);
    const escrowModule = buildEscrowModule(tokenModule);
    const { escrow, certificates } = m.useModule(escrowModule);
    const { auctionModule, matchingModule } = buildMarketsModule(escrowModule);
    const { auction } = m.useModule(auctionModule);
    const { matching } = m.useModule(matchingModule);
    return { registry, token, escrow, certificates, auction, matching };
  });
}

export const GreenGridWithExistingTokenModule = buildGreenGridModule(ExistingTokenModule);

export default buildGreenGridModule(TestTokenModule);
