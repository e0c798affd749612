import hre from "hardhat";
import { Wallet, keccak256, toUtf8Bytes } from "ethers";
import { setBalance } from "@nomicfoundation/hardhat-network-helpers";
import type {
  DoubleAuction,
  EnergyEscrow,
  GreenCertificate,
  ParticipantRegistry,
  ReputationMatching,
  SettlementToken,
} from "../../typechain-types";
import { deployGreenGrid } from "../../deploy/deployGreenGrid";

/** The contracts whose roles, errors and negative paths the security suite checks. */
export const SECURED_CONTRACTS = [
  "ParticipantRegistry",
  "EnergyEscrow",
  "DoubleAuction",
  "ReputationMatching",
  "GreenCertificate",
] as const;
export type SecuredContract = (typeof SECURED_CONTRACTS)[number];

/**
 * The whole market as the Ignition module deploys it (account 0 is admin, operator and regulator), plus a
 * fresh account that holds no role anywhere.
 */
export async function worldFixture() {
  const [deployer, stranger, other] = await hre.ethers.getSigners();
  const d = await deployGreenGrid(hre);
  return {
    registry: d.registry as unknown as ParticipantRegistry,
    token: d.token as unknown as SettlementToken,
    escrow: d.escrow as unknown as EnergyEscrow,
    certificates: d.certificates as unknown as GreenCertificate,
    auction: d.auction as unknown as DoubleAuction,
    matching: d.matching as unknown as ReputationMatching,
    deployer,
    stranger,
    other,
  };
}

/** Deterministic funded wallets beyond Hardhat's 20 accounts (for books of hundreds of participants). */
export async function fundedWallets(label: string, count: number): Promise<Wallet[]> {
  const wallets: Wallet[] = [];
  for (let i = 0; i < count; i++) {
    const w = new Wallet(keccak256(toUtf8Bytes(`greengrid ${label} ${i}`)), hre.ethers.provider);
    await setBalance(w.address, 10n ** 20n);
    wallets.push(w);
  }
  return wallets;
}
