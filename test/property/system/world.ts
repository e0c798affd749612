import hre from "hardhat";
import { Interface, Wallet, keccak256, toUtf8Bytes, toBeHex, type JsonFragment, type LogDescription } from "ethers";
import type {
  DoubleAuction,
  EnergyEscrow,
  GreenCertificate,
  ParticipantRegistry,
  ReputationMatching,
  SettlementToken,
  SystemInspector,
} from "../../../typechain-types";
import { deployGreenGrid } from "../../../deploy/deployGreenGrid";
import { encodeRegistration } from "../../../src/chain/registry";
import { RevertDecoder, findRevertData, type DecodedRevert } from "../../../src/chain/errors";
import type { EnergySource } from "../../../src/core/registry";

export const GEUR = 1_000_000n;
/** Gas for every fuzz transaction: a fixed limit skips eth_estimateGas (one EVM run per action, not two). */
const GAS = toBeHex(12_000_000);

/** A prosumer of the fuzz world: its trading account and the key of its meter device. */
export interface Actor {
  readonly name: string;
  readonly address: string;
  readonly meter: Wallet;
  readonly region: number;
  readonly voltageLevel: number;
  readonly source: EnergySource;
}

export interface World {
  readonly registry: ParticipantRegistry;
  readonly token: SettlementToken;
  readonly escrow: EnergyEscrow;
  readonly certificates: GreenCertificate;
  readonly auction: DoubleAuction;
  readonly matching: ReputationMatching;
  readonly inspector: SystemInspector;
  readonly addresses: {
    readonly registry: string;
    readonly token: string;
    readonly escrow: string;
    readonly certificates: string;
    readonly auction: string;
    readonly matching: string;
  };
  readonly chainId: bigint;
  /** Account 0: admin and operator of every contract and the registry's regulator. */
  readonly operator: string;
  /** Holds no role and never registers: relays readings, settles, closes rounds once their time is up. */
  readonly stranger: string;
  /** Registered and approved before the first sequence. */
  readonly prosumers: readonly Actor[];
  /** Funded but unregistered: they register (or fail to) during a sequence. */
  readonly newcomers: readonly Actor[];
  /** Every account that can hold escrow funds (the books must sum over exactly these). */
  readonly accounts: readonly string[];
  /** Every meter device of the world, and a spare key that belongs to nobody (forged readings). */
  readonly devices: readonly string[];
  readonly forger: Wallet;
  readonly decoder: RevertDecoder;
  /**
   * The timestamp of the last block the fuzz mined. Every transaction is mined exactly one second after the
   * previous block and time moves only by explicit travel, so a seed replays to the same timestamps however
   * busy the machine is (the in-process network would otherwise follow the wall clock).
   */
  readonly clock: { last: bigint };
  /** Distance between regions 1 and 2 as set before the first sequence (the only cross-region pair used). */
  readonly distance12: bigint;
}

/** One decoded event of a transaction, with the contract that emitted it. */
export interface Event {
  readonly contract: "registry" | "token" | "escrow" | "certificates" | "auction" | "matching";
  readonly name: string;
  readonly args: LogDescription["args"];
}

export type Outcome =
  | { readonly ok: true; readonly events: readonly Event[] }
  | { readonly ok: false; readonly data: string | null; readonly error: DecodedRevert | null; readonly message: string };

const PROSUMERS: readonly { source: EnergySource; region: number; voltageLevel: number }[] = [
  { source: "Solar", region: 1, voltageLevel: 1 },
  { source: "Wind", region: 1, voltageLevel: 2 },
  { source: "Fossil", region: 1, voltageLevel: 1 },
  { source: "Solar", region: 2, voltageLevel: 1 },
  { source: "None", region: 1, voltageLevel: 1 },
  { source: "Storage", region: 2, voltageLevel: 3 },
];
const NEWCOMERS = 2;

function meterKey(label: string): Wallet {
  return new Wallet(keccak256(toUtf8Bytes(`greengrid fuzz meter ${label}`)));
}

/**
 * Deploys the whole market through its Ignition module, registers and funds the prosumers, sets the
 * matching fees, and deploys the inspector: the fixed world every sequence starts from (evm_snapshot).
 */
export async function buildWorld(): Promise<World> {
  const signers = await hre.ethers.getSigners();
  const operator = signers[0];
  const stranger = signers[1];
  const d = await deployGreenGrid(hre);
  const registry = d.registry as unknown as ParticipantRegistry;
  const token = d.token as unknown as SettlementToken;
  const escrow = d.escrow as unknown as EnergyEscrow;
  const certificates = d.certificates as unknown as GreenCertificate;
  const auction = d.auction as unknown as DoubleAuction;
  const matching = d.matching as unknown as ReputationMatching;
  const addresses = {
    registry: await registry.getAddress(),
    token: await token.getAddress(),
    escrow: await escrow.getAddress(),
    certificates: await certificates.getAddress(),
    auction: await auction.getAddress(),
    matching: await matching.getAddress(),
  };
  const actor = (i: number, name: string, p: (typeof PROSUMERS)[number]): Actor => ({
    name,
    address: signers[2 + i].address,
    meter: meterKey(name),
    ...p,
  });
  const prosumers = PROSUMERS.map((p, i) => actor(i, `P${i}`, p));
  const newcomers = Array.from({ length: NEWCOMERS }, (_, k) =>
    actor(PROSUMERS.length + k, `N${k}`, { source: k === 0 ? "Hydro" : "None", region: 1 + k, voltageLevel: 2 }),
  );
  for (const p of prosumers) {
    const signer = await hre.ethers.getSigner(p.address);
    await registry.connect(signer).register(registration(p));
    await registry.connect(operator).approve(p.address);
  }
  for (const a of [...prosumers, ...newcomers, { address: stranger.address }, { address: operator.address }]) {
    const signer = await hre.ethers.getSigner(a.address);
    await token.connect(operator).mint(a.address, 1_000_000n * GEUR);
    await token.connect(signer).approve(addresses.escrow, hre.ethers.MaxUint256);
  }
  for (const p of prosumers) await escrow.connect(await hre.ethers.getSigner(p.address)).deposit(60n * GEUR);
  // the reward pool starts empty: the first honest deliveries leave rewards unpaid, claimed once it is funded
  // fees that make some pairs unprofitable (zeta < 0 must be refused) and a distance between the two regions
  await matching.connect(operator).setFees(1, 20_000, 5_000);
  await matching.connect(operator).setFees(2, 40_000, 10_000);
  await matching.connect(operator).setFees(3, 120_000, 20_000);
  const distance12 = 3n;
  await matching.connect(operator).setRegionDistance(1, 2, distance12);
  const inspector = (await hre.ethers.deployContract("SystemInspector")) as unknown as SystemInspector;

  const abis = await Promise.all(
    (await hre.artifacts.getAllFullyQualifiedNames()).map(
      async (n) => (await hre.artifacts.readArtifact(n)).abi as JsonFragment[],
    ),
  );
  const forger = meterKey("forger");
  return {
    registry,
    token,
    escrow,
    certificates,
    auction,
    matching,
    inspector,
    addresses,
    chainId: (await hre.ethers.provider.getNetwork()).chainId,
    operator: operator.address,
    stranger: stranger.address,
    prosumers,
    newcomers,
    accounts: [...prosumers, ...newcomers].map((a) => a.address).concat(stranger.address, operator.address),
    devices: [...prosumers, ...newcomers].map((a) => a.meter.address).concat(forger.address),
    forger,
    decoder: new RevertDecoder(abis),
    clock: { last: 0n },
    distance12,
  };
}

export function registration(a: Actor, overrides: { capacityW?: bigint; region?: number; device?: string } = {}) {
  return encodeRegistration({
    displayName: a.name,
    meterId: `FUZZ-${a.name}`,
    meterDevice: overrides.device ?? a.meter.address,
    region: overrides.region ?? a.region,
    voltageLevel: a.voltageLevel,
    source: a.source,
    capacityW: overrides.capacityW ?? 20_000n,
    batteryWh: 0n,
    settlementAccount: a.address,
  });
}

/** Interfaces by emitting address, so logs decode without a round trip. */
function logDecoder(w: World) {
  const byAddress = new Map<string, { contract: Event["contract"]; iface: Interface }>();
  for (const key of ["registry", "token", "escrow", "certificates", "auction", "matching"] as const) {
    byAddress.set(w.addresses[key].toLowerCase(), { contract: key, iface: w[key].interface as unknown as Interface });
  }
  return (logs: readonly { address: string; topics: string[]; data: string }[]): Event[] => {
    const events: Event[] = [];
    for (const log of logs) {
      const source = byAddress.get(log.address.toLowerCase());
      if (!source) continue;
      const parsed = source.iface.parseLog(log);
      if (parsed) events.push({ contract: source.contract, name: parsed.name, args: parsed.args });
    }
    return events;
  };
}

const decoders = new WeakMap<World, ReturnType<typeof logDecoder>>();

/**
 * Sends one transaction straight to the in-process node (eth_sendTransaction from an unlocked account, a
 * fixed gas limit, then the receipt): about half the round trips of a contract call through ethers.
 */
export async function send(w: World, from: string, to: string, data: string): Promise<Outcome> {
  const provider = hre.network.provider;
  let decode = decoders.get(w);
  if (!decode) decoders.set(w, (decode = logDecoder(w)));
  w.clock.last += 1n;
  await provider.request({ method: "evm_setNextBlockTimestamp", params: [Number(w.clock.last)] });
  try {
    const hash = (await provider.request({ method: "eth_sendTransaction", params: [{ from, to, data, gas: GAS }] })) as string;
    const receipt = (await provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as {
      status: string;
      logs: { address: string; topics: string[]; data: string }[];
    };
    if (receipt.status !== "0x1") return { ok: false, data: null, error: null, message: "reverted without data" };
    return { ok: true, events: decode(receipt.logs) };
  } catch (error) {
    const revertData = findRevertData(error);
    return {
      ok: false,
      data: revertData,
      error: revertData ? w.decoder.decode(revertData) : null,
      message: error instanceof Error ? error.message.split("\n")[0] : String(error),
    };
  }
}

/** What to read after an action (see SystemInspector.probe). */
export interface Query {
  accounts: string[];
  /** Accounts whose locks by the markets to read (the others keep their last read value). */
  locks: string[];
  periods: bigint[];
  cycles: bigint[];
  devices: string[];
  trades: bigint[];
  participants: string[];
}

export interface Probe {
  readonly timestamp: bigint;
  readonly tokenBalance: bigint;
  readonly totalFree: bigint;
  readonly totalLocked: bigint;
  readonly rewardPool: bigint;
  readonly accounts: { free: bigint; locked: bigint }[];
  readonly locks: bigint[];
  readonly periods: { phase: number; round: number; roundEndsAt: bigint }[];
  readonly cycles: number[];
  readonly devices: bigint[];
  readonly trades: number[];
  readonly participants: { reputationWad: bigint; registryReputationWad: bigint; status: number }[];
}

/** One eth_call; the answer is a flat word array, decoded here without the ABI coder. */
export async function probe(w: World, q: Query): Promise<Probe> {
  const a = w.addresses;
  let data = probeData.get(w);
  if (!data) probeData.set(w, (data = { to: await w.inspector.getAddress() }));
  const calldata = w.inspector.interface.encodeFunctionData("probe", [
    { escrow: a.escrow, token: a.token, registry: a.registry, auction: a.auction, matching: a.matching },
    q,
  ]);
  const hex = (await hre.network.provider.request({
    method: "eth_call",
    params: [{ to: data.to, data: calldata }, "latest"],
  })) as string;
  let k = 2 + 128; // skip the offset and the length words
  const next = () => BigInt("0x" + hex.slice(k, (k += 64)));
  const n = (v: bigint) => Number(v);
  return {
    timestamp: next(),
    tokenBalance: next(),
    totalFree: next(),
    totalLocked: next(),
    rewardPool: next(),
    accounts: q.accounts.map(() => ({ free: next(), locked: next() })),
    locks: q.locks.map(() => next() + next()),
    periods: q.periods.map(() => ({ phase: n(next()), round: n(next()), roundEndsAt: next() })),
    cycles: q.cycles.map(() => n(next())),
    devices: q.devices.map(() => next()),
    trades: q.trades.map(() => n(next())),
    participants: q.participants.map(() => ({
      reputationWad: next(),
      registryReputationWad: next(),
      status: n(next()),
    })),
  };
}

const probeData = new WeakMap<World, { to: string }>();
