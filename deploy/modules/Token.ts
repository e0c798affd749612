import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { ContractFuture, IgnitionModule } from "@nomicfoundation/ignition-core";

/**
 * The settlement token, in one of two forms with the same future id (Token#SettlementToken):
 * - TestTokenModule (the default, for local chains and test nets): deploys SettlementToken, "GreenGrid Test
 *   Euro" (gEUR, 6 decimals); the deployer is its admin and minter.
 * - ExistingTokenModule (production): deploys nothing and attaches to the ERC-20 given by the parameter
 *   `tokenAddress` (m.contractAt), e.g. a stablecoin.
 * Ignition builds a module before it reads parameters, so one module cannot decide at deploy time whether to
 * deploy; the choice is the module: deployGreenGrid() picks it from the parameter, and on the command line
 * deploy/modules/GreenGridExistingToken.ts is the production entry point.
 */
export const TestTokenModule = buildModule("Token", (m) => {
  const token = m.contract("SettlementToken", [m.getAccount(0)]);
  return { token };
});

export const ExistingTokenModule = buildModule("Token", (m) => {
  const token = m.contractAt("IERC20Metadata", m.getParameter<string>("tokenAddress"), { id: "SettlementToken" });
  return { token };
});

/** Either form: what the escrow needs is a module "Token" that returns a contract `token`. */
export type TokenModule = IgnitionModule<"Token", string, { token: ContractFuture<string> }>;

export default TestTokenModule;
