import {
  ENERGY_SOURCES,
  MAX_METER_ID_BYTES,
  MAX_NAME_BYTES,
  VOLTAGE_LEVELS,
  type EnergySource,
  type RegistrationInput,
} from "./types";

const utf8Length = (s: string): number => new TextEncoder().encode(s).length;

/** Every problem with a registration, as sentences a person understands; empty when it is valid. */
export function registrationProblems(reg: RegistrationInput, knownRegions: readonly number[]): string[] {
  const problems: string[] = [];
  const nameBytes = utf8Length(reg.displayName.trim());
  if (nameBytes === 0 || nameBytes > MAX_NAME_BYTES) {
    problems.push(`--name must be 1 to ${MAX_NAME_BYTES} bytes (got ${nameBytes})`);
  }
  const meterBytes = utf8Length(reg.meterId);
  if (meterBytes === 0 || meterBytes > MAX_METER_ID_BYTES) {
    problems.push(`--meter-id must be 1 to ${MAX_METER_ID_BYTES} bytes (got ${meterBytes})`);
  }
  if (!knownRegions.includes(reg.region)) {
    const known = knownRegions.length ? knownRegions.join(", ") : "none yet";
    problems.push(`--region ${reg.region} is not a known region (known: ${known})`);
  }
  if (!Object.values(VOLTAGE_LEVELS).includes(reg.voltageLevel as 1 | 2 | 3)) {
    problems.push(`--voltage must be low, medium or high (got ${reg.voltageLevel})`);
  }
  if (!ENERGY_SOURCES.includes(reg.source)) {
    problems.push(`--source must be one of ${ENERGY_SOURCES.join(", ")}`);
  }
  if (reg.capacityW <= 0n) problems.push("--capacity-w must be a positive number of watts");
  if (reg.batteryWh < 0n) problems.push("--battery-wh must not be negative");
  if (reg.meterDevice.toLowerCase() === ZERO_ADDRESS) problems.push("--device must not be the zero address");
  if (reg.settlementAccount.toLowerCase() === ZERO_ADDRESS) problems.push("--settlement must not be the zero address");
  return problems;
}

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

export function parseEnergySource(value: string): EnergySource | null {
  const match = ENERGY_SOURCES.find((s) => s.toLowerCase() === value.trim().toLowerCase());
  return match ?? null;
}
