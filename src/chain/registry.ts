import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ContractRunner } from "ethers";
import { encodeBytes32String, decodeBytes32String } from "ethers";
import type { IParticipantRegistry, ParticipantRegistry } from "../../typechain-types";
import {
  ELIGIBILITY,
  ENERGY_SOURCES,
  PARTICIPANT_STATUSES,
  type ParticipantRecord,
  type RegistrationInput,
} from "../core/registry";
import { deployedAddress } from "./deployments";

export async function registryAt(
  hre: HardhatRuntimeEnvironment,
  runner?: ContractRunner,
): Promise<ParticipantRegistry> {
  const address = await deployedAddress(hre, "registry");
  const contract = await hre.ethers.getContractAt("ParticipantRegistry", address);
  return (runner ? contract.connect(runner) : contract) as ParticipantRegistry;
}

/** The registration as the contract takes it (meter id as bytes32, source as enum index). */
export function encodeRegistration(reg: RegistrationInput): IParticipantRegistry.RegistrationStruct {
  return {
    displayName: reg.displayName,
    meterId: encodeBytes32String(reg.meterId),
    meterDevice: reg.meterDevice,
    region: reg.region,
    voltageLevel: reg.voltageLevel,
    source: ENERGY_SOURCES.indexOf(reg.source),
    capacityW: reg.capacityW,
    batteryWh: reg.batteryWh,
    settlementAccount: reg.settlementAccount,
  };
}

export async function readParticipant(registry: ParticipantRegistry, account: string): Promise<ParticipantRecord> {
  const [p, eligibility] = await Promise.all([registry.participant(account), registry.eligibility(account)]);
  const r = p.registration;
  return {
    account,
    status: PARTICIPANT_STATUSES[Number(p.status)],
    reasonCode: Number(p.reasonCode),
    registration: {
      displayName: r.displayName,
      meterId: r.meterId === "0x" + "0".repeat(64) ? "" : decodeBytes32String(r.meterId),
      meterDevice: r.meterDevice,
      region: Number(r.region),
      voltageLevel: Number(r.voltageLevel),
      source: ENERGY_SOURCES[Number(r.source)],
      capacityW: r.capacityW,
      batteryWh: r.batteryWh,
      settlementAccount: r.settlementAccount,
    },
    pendingMeterDevice: /^0x0{40}$/.test(p.pendingMeterDevice) ? null : p.pendingMeterDevice,
    openTrades: Number(p.openTrades),
    completedTrades: Number(p.completedTrades),
    defaults: Number(p.defaults),
    lastPricePerKwh: p.lastPricePerKwh,
    reputationWad: p.reputationWad,
    registeredAt: Number(p.registeredAt),
    eligibility: ELIGIBILITY[Number(eligibility)],
  };
}

export interface RegionInfo {
  readonly id: number;
  readonly name: string;
}

export async function readRegions(registry: ParticipantRegistry): Promise<RegionInfo[]> {
  const ids = await registry.regionIds();
  return Promise.all(ids.map(async (id) => ({ id: Number(id), name: await registry.regionName(id) })));
}

/** Every participant, page by page (each page bounded by the contract's MAX_PAGE). */
export async function listParticipants(
  registry: ParticipantRegistry,
  { offset = 0, limit = 100 }: { offset?: number; limit?: number } = {},
): Promise<ParticipantRecord[]> {
  const maxPage = Number(await registry.MAX_PAGE());
  const total = Number(await registry.participantCount());
  const end = Math.min(total, offset + limit);
  const accounts: string[] = [];
  for (let start = offset; start < end; start += maxPage) {
    accounts.push(...(await registry.participantsPage(start, Math.min(maxPage, end - start))));
  }
  return Promise.all(accounts.map((a) => readParticipant(registry, a)));
}
