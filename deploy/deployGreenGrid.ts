import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DeployConfig } from "@nomicfoundation/ignition-core";
import GreenGridModule, { GreenGridWithExistingTokenModule } from "./modules/GreenGrid";
import { CONTRACT_IDS, rememberDeployment, type ContractKey } from "../src/chain/deployments";

export type GreenGridParameters = Record<string, Record<string, unknown>>;

/**
 * Deploys the market through its Ignition module and records the addresses for the tasks of this
 * process (the in-process network keeps no deployment files). With the parameter Token.tokenAddress the
 * market settles in that existing ERC-20 and no test token is deployed. `config` tunes Ignition's execution
 * (e.g. how often it polls a node for new blocks).
 */
export async function deployGreenGrid(
  hre: HardhatRuntimeEnvironment,
  parameters: GreenGridParameters = {},
  config: Partial<DeployConfig> = {},
) {
  const module = parameters.Token?.tokenAddress ? GreenGridWithExistingTokenModule : GreenGridModule;
  const deployed = await hre.ignition.deploy(module, {
    parameters: parameters as never,
    config,
    displayUi: false,
  });
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  const addresses: Record<string, string> = {};
  for (const [key, contract] of Object.entries(deployed)) {
    const id = CONTRACT_IDS[key as ContractKey];
    if (id) addresses[id] = await contract.getAddress();
  }
  rememberDeployment(chainId, addresses);
  return deployed;
}
