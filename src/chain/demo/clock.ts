import type { HardhatRuntimeEnvironment } from "hardhat/types";

/** The timestamp of the latest block, seconds. */
export async function latestTimestamp(hre: HardhatRuntimeEnvironment): Promise<bigint> {
  const block = await hre.ethers.provider.getBlock("latest");
  return BigInt(block?.timestamp ?? 0);
}

/**
 * Mines a block at `timestamp` (a local chain's evm_* methods; Hardhat and anvil have them), unless the
 * chain is already there or past it. The demo lives through a trading day in seconds this way.
 */
export async function advanceTo(hre: HardhatRuntimeEnvironment, timestamp: bigint): Promise<void> {
  if ((await latestTimestamp(hre)) >= timestamp) return;
  await hre.network.provider.send("evm_setNextBlockTimestamp", [Number(timestamp)]);
  await hre.network.provider.send("evm_mine", []);
}
