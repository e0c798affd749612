import fs from "node:fs";
import path from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { UserError } from "../cli/errors";

/**
 * The Ignition future id of each contract the tasks use; the keys are those the GreenGrid module returns.
 * The token's id is the same whether the module deployed the test token or attached to an existing ERC-20.
 */
export const CONTRACT_IDS = {
  registry: "Registry#ParticipantRegistry",
  auction: "Auction#DoubleAuction",
  matching: "Matching#ReputationMatching",
  token: "Token#SettlementToken",
  escrow: "Escrow#EnergyEscrow",
  certificates: "Escrow#GreenCertificate",
} as const;

export type ContractKey = keyof typeof CONTRACT_IDS;
export type DeployedAddresses = Partial<Record<string, string>>;

/**
 * Deployments made in this process (the in-process Hardhat network keeps no files): the demo and
 * the tests deploy through Ignition and record the addresses here.
 */
const inProcess = new Map<bigint, DeployedAddresses>();

export function rememberDeployment(chainId: bigint, addresses: DeployedAddresses): void {
  inProcess.set(chainId, { ...inProcess.get(chainId), ...addresses });
}

export function forgetDeployment(chainId: bigint): void {
  inProcess.delete(chainId);
}

export function deploymentRecordPath(hre: HardhatRuntimeEnvironment, chainId: bigint): string {
  return path.join(hre.config.paths.ignition, "deployments", `chain-${chainId}`, "deployed_addresses.json");
}

function deployCommand(hre: HardhatRuntimeEnvironment): string {
  return `npx hardhat ignition deploy deploy/modules/GreenGrid.ts --network ${hre.network.name}`;
}

/** The address of a deployed contract on the current chain, or a clear error saying how to deploy. */
export async function deployedAddress(hre: HardhatRuntimeEnvironment, key: ContractKey): Promise<string> {
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  const id = CONTRACT_IDS[key];
  const remembered = inProcess.get(chainId)?.[id];
  if (remembered) return remembered;

  const file = deploymentRecordPath(hre, chainId);
  if (!fs.existsSync(file)) {
    const hint =
      hre.network.name === "hardhat"
        ? "The in-process network starts empty on every command: start a node (npx hardhat node) and use --network localhost, or run npx hardhat demo."
        : `Deploy first: ${deployCommand(hre)}`;
    throw new UserError(`Nothing is deployed on network "${hre.network.name}" (chain ${chainId}). ${hint}`);
  }
  const addresses = JSON.parse(fs.readFileSync(file, "utf8")) as DeployedAddresses;
  const address = addresses[id];
  if (!address) {
    throw new UserError(`The deployment on chain ${chainId} has no ${id}. Update it: ${deployCommand(hre)}`);
  }
  if ((await hre.ethers.provider.getCode(address)) === "0x") {
    throw new UserError(
      `${id} is recorded at ${address} on chain ${chainId}, but no contract is there (was the node restarted?). ` +
        `Remove ${path.dirname(file)} and deploy again: ${deployCommand(hre)}`,
    );
  }
  return address;
}

/**
 * Before a deployment that must start from an empty market (the demo): on a node, a deployment record of this
 * chain whose registry has no code is stale (the node was restarted) and is removed; a live one is refused,
 * as its participants are already registered. The in-process network keeps no record, so nothing happens there.
 */
export async function clearStaleDeployment(hre: HardhatRuntimeEnvironment): Promise<void> {
  if (hre.network.name === "hardhat") return;
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  const file = deploymentRecordPath(hre, chainId);
  const folder = path.dirname(file);
  if (!fs.existsSync(folder)) return;
  const addresses = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as DeployedAddresses) : {};
  const registry = addresses[CONTRACT_IDS.registry];
  if (registry && (await hre.ethers.provider.getCode(registry)) !== "0x") {
    throw new UserError(
      `A market is already deployed on network "${hre.network.name}" (chain ${chainId}, registry ${registry}); ` +
        `the demo needs an empty one. Restart the node, or remove ${path.relative(
          process.cwd(),
          folder,
        )} to deploy another market beside it.`,
    );
  }
  fs.rmSync(folder, { recursive: true, force: true });
  console.error(
    `removed the stale deployment record ${path.relative(process.cwd(), folder)} (its contracts are not on the node)`,
  );
}
