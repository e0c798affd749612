import type { ReputationMatching } from "../../typechain-types";
import type { MatchingCycle, MatchingOffer, MatchingRequest } from "../../src/core/matching";

/** Reads a cycle's offers, requests, fees and the distances between its regions into the TS twin's types. */
export async function readCycle(matching: ReputationMatching, cycleId: bigint | number): Promise<MatchingCycle> {
  const offersRaw = await matching.offersPage(cycleId, 0, 1_000);
  const requestsRaw = await matching.requestsPage(cycleId, 0, 1_000);
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
    fees: {
      baseFeePerKwh: [...fees.baseFeePerKwh],
      distanceFeePerKwh: [...fees.distanceFeePerKwh],
      distance: (a, b) => (a === b ? 0n : table.get(a < b ? `${a}:${b}` : `${b}:${a}`) ?? 0n),
    },
  };
}
