import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ContractRunner } from "ethers";
import type { ReputationMatching } from "../../typechain-types";
import type { MatchingCycle, MatchingOffer, MatchingRequest } from "../core/matching";
import { deployedAddress } from "./deployments";

export const MATCHING_PHASES = ["None", "Posting", "Submission", "Finalizing", "Finalized", "ReputationApplied"] as const;

export async function matchingAt(hre: HardhatRuntimeEnvironment, runner?: ContractRunner): Promise<ReputationMatching> {
  const address = await deployedAddress(hre, "matching");
  const contract = await hre.ethers.getContractAt("ReputationMatching", address);
  return (runner ? contract.connect(runner) : contract) as ReputationMatching;
}

export interface CycleParticipants {
  readonly providers: readonly string[];
  readonly users: readonly string[];
}

/** The cycle's offers, requests, fees and the distances between its regions, in the core's types. */
export async function readCycle(
  matching: ReputationMatching,
  cycleId: bigint | number,
): Promise<MatchingCycle & CycleParticipants> {
  const caps = await matching.params(cycleId);
  const offersRaw = await matching.offersPage(cycleId, 0, caps.offerCap);
  const requestsRaw = await matching.requestsPage(cycleId, 0, caps.requestCap);
  const offers: MatchingOffer[] = offersRaw.map((o) => ({
    pricePerKwh: o.pricePerKwh,
    capacityWh: o.capacityWh,
    rcMicro: o.rcMicro,
    region: Number(o.region),
    voltageLevel: Number(o.voltageLevel),
    cancelled: o.cancelled,
  }));
  const requests: MatchingRequest[] = requestsRaw.map((r) => ({
    energyWh: r.energyWh,
    maxPricePerKwh: r.maxPricePerKwh,
    region: Number(r.region),
    voltageLevel: Number(r.voltageLevel),
    cancelled: r.cancelled,
  }));
  const regions = [...new Set([...offers, ...requests].map((x) => x.region))];
  const table = new Map<string, bigint>();
  for (const a of regions) {
    for (const b of regions) {
      if (a < b) table.set(`${a}:${b}`, await matching.regionDistance(a, b));
    }
  }
  const fees = await matching.cycleFees(cycleId);
  return {
    offers,
    requests,
    providers: offersRaw.map((o) => o.provider),
    users: requestsRaw.map((r) => r.user),
    fees: {
      baseFeePerKwh: [...fees.baseFeePerKwh],
      distanceFeePerKwh: [...fees.distanceFeePerKwh],
      distance: (a, b) => (a === b ? 0n : table.get(a < b ? `${a}:${b}` : `${b}:${a}`) ?? 0n),
    },
  };
}
