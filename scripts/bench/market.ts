/**
 * The market under benchmark: one deployment through deploy/deployGreenGrid (registry, token, escrow,
 * certificates, DoubleAuction, ReputationMatching, every role wired), and participants enrolled the
 * way a prosumer and the regulator do it: register, approve, money in the escrow.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { getAddress, keccak256, solidityPacked, dataSlice, type Wallet } from "ethers";
import type {
  DoubleAuction,
  EnergyEscrow,
  GreenCertificate,
  ParticipantRegistry,
  ReputationMatching,
  SettlementToken,
} from "../../typechain-types";
import { deployGreenGrid } from "../../deploy/deployGreenGrid";
import { encodeRegistration } from "../../src/chain/registry";
import type { EnergySource } from "../../src/core/registry";
import { TOKEN_UNIT } from "../../src/core/units";
import { BenchChain, deterministicWallets, encode, type Call } from "./chain";

export interface Market {
  readonly registry: ParticipantRegistry;
  readonly token: SettlementToken;
  readonly escrow: EnergyEscrow;
  readonly certificates: GreenCertificate;
  readonly auction: DoubleAuction;
  readonly matching: ReputationMatching;
  /** Account 0: admin of everything, regulator, operator, token minter. */
  readonly deployer: string;
  readonly addresses: {
    readonly registry: string;
    readonly token: string;
    readonly escrow: string;
    readonly auction: string;
    readonly matching: string;
  };
}

export async function deployMarket(hre: HardhatRuntimeEnvironment): Promise<Market> {
  const deployed = await deployGreenGrid(hre);
  const [deployer] = await hre.ethers.getSigners();
  const registry = deployed.registry as unknown as ParticipantRegistry;
  const token = deployed.token as unknown as SettlementToken;
  const escrow = deployed.escrow as unknown as EnergyEscrow;
  const certificates = deployed.certificates as unknown as GreenCertificate;
  const auction = deployed.auction as unknown as DoubleAuction;
  const matching = deployed.matching as unknown as ReputationMatching;
  return {
    registry,
    token,
    escrow,
    certificates,
    auction,
    matching,
    deployer: deployer.address,
    addresses: {
      registry: await registry.getAddress(),
      token: await token.getAddress(),
      escrow: await escrow.getAddress(),
      auction: await auction.getAddress(),
      matching: await matching.getAddress(),
    },
  };
}

export interface EnrolOptions {
  /** Token base units deposited into each participant's free escrow balance. */
  readonly depositEach: bigint;
  readonly source?: EnergySource;
  /** Region and voltage level of participant k. */
  readonly region?: (k: number) => number;
  readonly voltageLevel?: (k: number) => number;
  /** Meter device of participant k (default: a fixed address nobody signs with). */
  readonly meterDevice?: (k: number) => string;
}

/** A device address derived from a label: unique, deterministic, and without a key (never signs). */
export function placeholderDevice(label: string, k: number): string {
  return getAddress(
    dataSlice(keccak256(solidityPacked(["string", "uint256"], [`greengrid bench device ${label}`, k])), 12),
  );
}

/** Gas limits of the enrolment transactions (above what they use; they only bound block packing). */
const GAS = { register: 400_000n, approve: 120_000n, depositFor: 150_000n, admin: 200_000n } as const;

/**
 * `count` new participants from `seed`, funded with ether, registered, approved by the regulator
 * (the deployer) and each holding `depositEach` in the escrow (deposited for them by the deployer,
 * which mints the test token).
 */
export async function enrol(
  chain: BenchChain,
  market: Market,
  seed: string,
  count: number,
  options: EnrolOptions,
): Promise<Wallet[]> {
  if (count === 0) return [];
  const wallets = deterministicWallets(seed, count);
  await chain.fund(wallets.map((w) => w.address));
  const { registry, token, escrow, deployer, addresses } = market;
  const region = options.region ?? (() => 1);
  const voltageLevel = options.voltageLevel ?? (() => 1);
  const device = options.meterDevice ?? ((k: number) => placeholderDevice(seed, k));
  await chain.bulk(
    wallets.map(
      (wallet, k): Call => ({
        from: wallet,
        to: addresses.registry,
        gasLimit: GAS.register,
        label: `register ${seed}#${k}`,
        data: encode(registry, "register", [
          encodeRegistration({
            displayName: `Bench ${seed} ${k}`,
            meterId: `B-${seed.slice(0, 12)}-${k}`,
            meterDevice: device(k),
            region: region(k),
            voltageLevel: voltageLevel(k),
            source: options.source ?? "Solar",
            capacityW: 10_000n,
            batteryWh: 0n,
            settlementAccount: wallet.address,
          }),
        ]),
      }),
    ),
  );
  const total = options.depositEach * BigInt(count);
  await chain.bulk([
    ...wallets.map(
      (wallet, k): Call => ({
        from: deployer,
        to: addresses.registry,
        gasLimit: GAS.approve,
        label: `approve ${seed}#${k}`,
        data: encode(registry, "approve", [wallet.address]),
      }),
    ),
    {
      from: deployer,
      to: addresses.token,
      gasLimit: GAS.admin,
      label: "mint",
      data: encode(token, "mint", [deployer, total]),
    },
    {
      from: deployer,
      to: addresses.token,
      gasLimit: GAS.admin,
      label: "approve escrow",
      data: encode(token, "approve", [addresses.escrow, total]),
    },
    ...wallets.map(
      (wallet, k): Call => ({
        from: deployer,
        to: addresses.escrow,
        gasLimit: GAS.depositFor,
        label: `depositFor ${seed}#${k}`,
        data: encode(escrow, "depositFor", [wallet.address, options.depositEach]),
      }),
    ),
  ]);
  return wallets;
}

/** 1 gEUR in token base units. */
export const GEUR = TOKEN_UNIT;
