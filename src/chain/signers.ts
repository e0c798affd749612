import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { ZeroAddress, isAddress, getAddress } from "ethers";
import { UserError } from "../cli/errors";

/**
 * Resolves `--from` (or any account flag) to one of the network's configured signers: a 0-based
 * index into the accounts list, or one of their addresses.
 */
export async function resolveSigner(
  hre: HardhatRuntimeEnvironment,
  from: string,
  flag = "--from",
): Promise<HardhatEthersSigner> {
  const signers = await hre.ethers.getSigners();
  const value = String(from).trim();
  if (/^\d+$/.test(value)) {
    const index = Number(value);
    if (index >= signers.length) {
      throw new UserError(
        `${flag} ${value}: network "${hre.network.name}" has ${signers.length} accounts (0..${signers.length - 1})`,
      );
    }
    return signers[index];
  }
  if (!isAddress(value)) {
    throw new UserError(`${flag} "${value}" is neither an account index nor an address`);
  }
  const wanted = getAddress(value);
  const match = signers.find((s) => s.address === wanted);
  if (!match) {
    throw new UserError(`${flag} ${wanted} is not among the accounts configured for network "${hre.network.name}"`);
  }
  return match;
}

/**
 * Resolves an account argument that need not be ours to sign with: an address, or an index into
 * the configured accounts for convenience on local chains.
 */
export async function resolveAccount(hre: HardhatRuntimeEnvironment, value: string, flag: string): Promise<string> {
  const v = String(value ?? "").trim();
  if (/^\d+$/.test(v)) return (await resolveSigner(hre, v, flag)).address;
  if (!isAddress(v)) throw new UserError(`${flag} "${v}" is neither an address nor an account index`);
  // no one holds the zero address's key: what is sent there is lost, and a deposit credited to it is refused
  // only after the escrow's allowance has been approved
  if (getAddress(v) === ZeroAddress) throw new UserError(`${flag} is the zero address, which no one controls`);
  return getAddress(v);
}
