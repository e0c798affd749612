/**
 * Units shared by every engine and by the contracts.
 * Energy is an integer number of watt-hours; prices are token base units per kWh.
 * The settlement token has TOKEN_DECIMALS decimals, so 1 currency unit = 10^TOKEN_DECIMALS base units.
 */
import { scaleExactly } from "./decimal";

export const WH_PER_KWH = 1000n;
export const TOKEN_DECIMALS = 6;
export const TOKEN_UNIT = 10n ** BigInt(TOKEN_DECIMALS);

/** floor(a * b / d). */
export function mulDivDown(a: bigint, b: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError("mulDivDown: divisor must be positive");
  return (a * b) / d;
}

/** ceil(a * b / d), for non-negative operands. */
export function mulDivUp(a: bigint, b: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError("mulDivUp: divisor must be positive");
  const p = a * b;
  return p === 0n ? 0n : (p - 1n) / d + 1n;
}

/** What a buyer must hold for energyWh at pricePerKwh: rounded up, so the escrow is never short. */
export function costUp(energyWh: bigint, pricePerKwh: bigint): bigint {
  return mulDivUp(energyWh, pricePerKwh, WH_PER_KWH);
}

/** What a seller is paid for energyWh at pricePerKwh: rounded down, so the escrow never pays out more than it holds. */
export function costDown(energyWh: bigint, pricePerKwh: bigint): bigint {
  return mulDivDown(energyWh, pricePerKwh, WH_PER_KWH);
}

/** Converts a decimal currency amount (e.g. 0.64) to base units, exactly or not at all. */
export function currencyToBaseUnits(amount: number, decimals = TOKEN_DECIMALS): bigint {
  const units = scaleExactly(amount, decimals);
  if (units === null) throw new RangeError(`${amount} is not a whole number of 10^-${decimals} units`);
  return units;
}

/** Base units to a decimal currency number, for display and reports only. */
export function baseUnitsToCurrency(units: bigint, decimals = TOKEN_DECIMALS): number {
  return Number(units) / 10 ** decimals;
}
