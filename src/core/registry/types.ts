/** Mirrors IParticipantRegistry.Status; the index is the on-chain enum value. */
export const PARTICIPANT_STATUSES = ["None", "Pending", "Approved", "Rejected", "Suspended", "Delisted"] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/** Mirrors IParticipantRegistry.EnergySource. */
export const ENERGY_SOURCES = ["None", "Solar", "Wind", "Hydro", "Biomass", "Storage", "Fossil"] as const;
export type EnergySource = (typeof ENERGY_SOURCES)[number];

/** Mirrors IParticipantRegistry.Eligibility. */
export const ELIGIBILITY = ["Eligible", "NotApproved", "Suspended", "TooManyDefaults"] as const;
export type Eligibility = (typeof ELIGIBILITY)[number];

export const VOLTAGE_LEVELS = { low: 1, medium: 2, high: 3 } as const;
export type VoltageLevelName = keyof typeof VOLTAGE_LEVELS;

export const MAX_NAME_BYTES = 64;
/** A meter id is stored as bytes32 holding a short UTF-8 string (31 bytes + terminator). */
export const MAX_METER_ID_BYTES = 31;

/** What a prosumer declares, in chain units. */
export interface RegistrationInput {
  readonly displayName: string;
  readonly meterId: string;
  readonly meterDevice: string;
  readonly region: number;
  readonly voltageLevel: number;
  readonly source: EnergySource;
  readonly capacityW: bigint;
  readonly batteryWh: bigint;
  readonly settlementAccount: string;
}

/** A participant record as read from the chain. */
export interface ParticipantRecord {
  readonly account: string;
  readonly status: ParticipantStatus;
  readonly reasonCode: number;
  readonly registration: RegistrationInput;
  readonly pendingMeterDevice: string | null;
  readonly openTrades: number;
  readonly completedTrades: number;
  readonly defaults: number;
  readonly lastPricePerKwh: bigint;
  readonly reputationWad: bigint;
  readonly registeredAt: number;
  readonly eligibility: Eligibility;
}

export function isGreenSource(source: EnergySource): boolean {
  return source === "Solar" || source === "Wind" || source === "Hydro" || source === "Biomass";
}
