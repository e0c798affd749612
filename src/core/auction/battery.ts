/**
 * Storage and grid accounting after a clearing (SPEC section 3, off-chain, reported only).
 * Everything is integer Wh; a state of charge (a fraction) appears only at the edges, converted
 * by socToStoredWh and storedWhToSoc.
 */
import type { Side } from "./types";

export interface BatteryState {
  readonly capacityWh: bigint;
  /** Energy in the battery before the period, 0 <= storedWh <= capacityWh. */
  readonly storedWh: bigint;
}

export interface EnergyPosition {
  readonly id: string;
  readonly side: Side;
  /** Surplus (seller) or deficit (buyer) for the period, Wh. */
  readonly energyWh: bigint;
  /** What the auction allocated, 0 <= tradedWh <= energyWh. */
  readonly tradedWh: bigint;
  readonly battery: BatteryState;
}

export interface StorageOutcome {
  readonly id: string;
  readonly side: Side;
  readonly tradedWh: bigint;
  /** Charged into the battery (seller) or discharged from it (buyer), Wh, never negative. */
  readonly batteryWh: bigint;
  /** Fed into the grid (seller) or drawn from it (buyer), Wh, never negative. */
  readonly gridWh: bigint;
  readonly storedAfterWh: bigint;
  readonly capacityWh: bigint;
  /** storedAfterWh / capacityWh, for display (see storedWhToSoc). */
  readonly socAfter: number;
}

/**
 * A seller's unsold surplus charges its battery up to capacity and the rest goes to the grid;
 * a buyer's unmet deficit is drawn from its battery down to empty and the rest from the grid.
 */
export function settleStorage(position: EnergyPosition): StorageOutcome {
  const { energyWh, tradedWh, battery } = position;
  if (tradedWh < 0n || tradedWh > energyWh) {
    throw new RangeError(`${position.id}: traded ${tradedWh} Wh is outside 0..${energyWh} Wh`);
  }
  if (battery.storedWh < 0n || battery.storedWh > battery.capacityWh) {
    throw new RangeError(`${position.id}: stored ${battery.storedWh} Wh is outside 0..${battery.capacityWh} Wh`);
  }
  const leftWh = energyWh - tradedWh;
  const room = position.side === "seller" ? battery.capacityWh - battery.storedWh : battery.storedWh;
  const batteryWh = leftWh < room ? leftWh : room;
  const storedAfterWh = position.side === "seller" ? battery.storedWh + batteryWh : battery.storedWh - batteryWh;
  return {
    id: position.id,
    side: position.side,
    tradedWh,
    batteryWh,
    gridWh: leftWh - batteryWh,
    storedAfterWh,
    capacityWh: battery.capacityWh,
    socAfter: storedWhToSoc(storedAfterWh, battery.capacityWh),
  };
}

/** Resolution of a state of charge: parts per million. */
export const SOC_PPM = 1_000_000n;

/**
 * Stored energy for a state of charge: the fraction is first rounded to a millionth, then
 * storedWh = round(socPpm x capacityWh / 10^6), halves rounded up. Two roundings, both stated,
 * so the same input gives the same Wh on every machine (0.86 of 50 kWh is exactly 43000 Wh).
 */
export function socToStoredWh(soc: number, capacityWh: bigint): bigint {
  if (!Number.isFinite(soc) || soc < 0 || soc > 1) throw new RangeError(`state of charge ${soc} is outside [0, 1]`);
  if (capacityWh < 0n) throw new RangeError(`battery capacity ${capacityWh} Wh is negative`);
  const socPpm = BigInt(Math.round(soc * Number(SOC_PPM)));
  return (socPpm * capacityWh + SOC_PPM / 2n) / SOC_PPM;
}

/** State of charge for display; an absent battery (capacity 0) reads as 0. */
export function storedWhToSoc(storedWh: bigint, capacityWh: bigint): number {
  return capacityWh === 0n ? 0 : Number(storedWh) / Number(capacityWh);
}
