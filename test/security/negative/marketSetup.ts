import hre from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { EnergyEscrow, ParticipantRegistry, SettlementToken } from "../../../typechain-types";
import { encodeRegistration } from "../../../src/chain/registry";
import { meterWallet } from "../../helpers/escrowFixtures";
import { readsDigest, type ViewRead } from "../../helpers/viewDigest";

export const GEUR = 1_000_000n;

/** Where a fixture's participant ends up in the registry, and what it holds in the escrow. */
export interface Onboarding {
  readonly region?: number;
  readonly voltageLevel?: number;
  /** Free escrow balance in token base units; 0 leaves the participant without funds. */
  readonly deposit?: bigint;
  readonly status?: "approved" | "pending" | "suspended";
}

/** Registers `signer` (its own transaction), lets the regulator review it and funds its escrow account. */
export async function onboard(
  system: {
    registry: ParticipantRegistry;
    token: SettlementToken;
    escrow: EnergyEscrow;
    regulator: HardhatEthersSigner;
  },
  signer: HardhatEthersSigner,
  label: string,
  { region = 1, voltageLevel = 1, deposit = 100n * GEUR, status = "approved" }: Onboarding = {},
): Promise<void> {
  const { registry, token, escrow, regulator } = system;
  await registry.connect(signer).register(
    encodeRegistration({
      displayName: label,
      meterId: `MTR-${label}`,
      meterDevice: meterWallet(label).address,
      region,
      voltageLevel,
      source: "Solar",
      capacityW: 10_000n,
      batteryWh: 0n,
      settlementAccount: signer.address,
    }),
  );
  if (status !== "pending") await registry.connect(regulator).approve(signer.address);
  if (status === "suspended") await registry.connect(regulator).suspend(signer.address, 1);
  if (deposit > 0n) {
    await token.connect(regulator).mint(signer.address, deposit);
    await token.connect(signer).approve(await escrow.getAddress(), deposit);
    await escrow.connect(signer).deposit(deposit);
  }
}

/**
 * What a market's reverted call could have moved in the escrow: each account's free and locked balance, the
 * totals and every trade. Read directly rather than through viewDigest, whose address-by-address product over
 * lockedBy would cost hundreds of calls per digest (an account's locked balance already shows a market's lock).
 */
export async function escrowDigest(escrow: EnergyEscrow, accounts: readonly string[]) {
  const count = await escrow.tradeCount();
  const reads: ViewRead[] = [
    [escrow, "totalFree"],
    [escrow, "totalLocked"],
    [escrow, "rewardPool"],
  ];
  for (let offset = 0n; offset < count; offset += TRADES_PAGE)
    reads.push([escrow, "tradesPage", [offset, TRADES_PAGE]]);
  for (const account of accounts)
    reads.push([escrow, "freeBalanceOf", [account]], [escrow, "lockedBalanceOf", [account]]);
  return `${count}\n${await readsDigest(reads)}`;
}

/** EnergyEscrow.MAX_PAGE. */
const TRADES_PAGE = 100n;

/** Signers by role name, so a fixture reads as a cast list. */
export async function cast<const N extends readonly string[]>(
  names: N,
): Promise<Record<N[number], HardhatEthersSigner>> {
  const signers = await hre.ethers.getSigners();
  if (names.length > signers.length) throw new Error(`${names.length} roles but ${signers.length} accounts`);
  return Object.fromEntries(names.map((n, i) => [n, signers[i]])) as Record<N[number], HardhatEthersSigner>;
}
