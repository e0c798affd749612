/**
 * Signed meter readings (SPEC section 6): the EIP-712 typed data a meter device signs, as plain data, and the
 * checks a relay makes on a reading file before it sends anything. No ethers, no I/O.
 */
export const METER_DOMAIN_NAME = "GreenGrid EnergyEscrow";
export const METER_DOMAIN_VERSION = "1";

/** The EIP-712 types, exactly as contracts/EnergyEscrow.sol hashes them (METER_READING_TYPEHASH). */
export const METER_READING_TYPES = {
  MeterReading: [
    { name: "tradeId", type: "uint256" },
    { name: "side", type: "uint8" },
    { name: "energyWh", type: "uint64" },
    { name: "sequence", type: "uint64" },
    { name: "chainId", type: "uint256" },
  ],
} as const;

export const METER_SIDES = ["provider", "user"] as const;
export type MeterSide = (typeof METER_SIDES)[number];
/** Side index as signed: 0 = provider meter (rho), 1 = user meter (gamma). */
export const SIDE_INDEX: Readonly<Record<MeterSide, number>> = { provider: 0, user: 1 };

export const UINT64_MAX = (1n << 64n) - 1n;
export const UINT256_MAX = (1n << 256n) - 1n;
/** The escrow's MAX_BATCH for submitReadings. */
export const MAX_READINGS_PER_BATCH = 50;

export interface MeterReading {
  readonly tradeId: bigint;
  readonly side: number;
  readonly energyWh: bigint;
  readonly sequence: bigint;
  readonly chainId: bigint;
}

export interface MeterDomain {
  readonly name: string;
  readonly version: string;
  readonly chainId: bigint;
  readonly verifyingContract: string;
}

export function meterDomain(chainId: bigint, verifyingContract: string): MeterDomain {
  return { name: METER_DOMAIN_NAME, version: METER_DOMAIN_VERSION, chainId, verifyingContract };
}

/** A signed reading as written by meter:sign and read by meter:submit (numbers as decimal strings). */
export interface SignedReadingFile {
  readonly escrow: string;
  readonly chainId: string;
  readonly signer: string;
  readonly reading: {
    readonly tradeId: string;
    readonly side: number;
    readonly energyWh: string;
    readonly sequence: string;
    readonly chainId: string;
  };
  readonly signature: string;
}

export interface SignedReading {
  readonly escrow: string;
  readonly signer: string;
  readonly reading: MeterReading;
  readonly signature: string;
}

export function toReadingFile(signed: SignedReading): SignedReadingFile {
  const r = signed.reading;
  return {
    escrow: signed.escrow,
    chainId: r.chainId.toString(),
    signer: signed.signer,
    reading: {
      tradeId: r.tradeId.toString(),
      side: r.side,
      energyWh: r.energyWh.toString(),
      sequence: r.sequence.toString(),
      chainId: r.chainId.toString(),
    },
    signature: signed.signature,
  };
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/** 65 bytes: r (32), s (32), v (1). */
const SIGNATURE = /^0x[0-9a-fA-F]{130}$/;

function wholeNumber(where: string, value: unknown, max: bigint, problems: string[], minimum = 0n): bigint {
  const text = typeof value === "number" && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== "string" || !/^\d+$/.test(text)) {
    problems.push(`${where} must be a whole number as a decimal string (got ${JSON.stringify(value)})`);
    return 0n;
  }
  const n = BigInt(text);
  if (n < minimum || n > max) {
    problems.push(`${where} must be between ${minimum} and ${max} (got ${text})`);
    return 0n;
  }
  return n;
}

/**
 * Parses the content of a reading file: one signed reading or an array of them. Returns the readings or the list
 * of every problem found (each naming the entry and field), never both.
 */
export function parseReadingFile(
  content: unknown,
):
  | { readonly readings: SignedReading[]; readonly problems: [] }
  | { readonly readings: []; readonly problems: string[] } {
  const problems: string[] = [];
  const entries = Array.isArray(content) ? content : [content];
  if (entries.length === 0) return { readings: [], problems: ["the file holds an empty list: nothing to submit"] };
  if (entries.length > MAX_READINGS_PER_BATCH) {
    return {
      readings: [],
      problems: [`the file holds ${entries.length} readings; at most ${MAX_READINGS_PER_BATCH} go in one transaction`],
    };
  }
  const readings: SignedReading[] = [];
  entries.forEach((entry, i) => {
    const at = Array.isArray(content) ? `entry ${i}` : "reading file";
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      problems.push(`${at} must be an object with escrow, chainId, signer, reading and signature`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const before = problems.length;
    for (const key of ["escrow", "signer"] as const) {
      if (typeof e[key] !== "string" || !ADDRESS.test(e[key] as string))
        problems.push(`${at}: ${key} must be an address (0x + 40 hex digits)`);
    }
    if (typeof e.signature !== "string" || !SIGNATURE.test(e.signature))
      problems.push(`${at}: signature must be 65 bytes of hex (0x + 130 hex digits)`);
    const r = e.reading;
    if (r === null || typeof r !== "object" || Array.isArray(r)) {
      problems.push(`${at}: reading must be an object with tradeId, side, energyWh, sequence, chainId`);
      return;
    }
    const rr = r as Record<string, unknown>;
    const tradeId = wholeNumber(`${at}: reading.tradeId`, rr.tradeId, UINT256_MAX, problems, 1n);
    if (rr.side !== 0 && rr.side !== 1) problems.push(`${at}: reading.side must be 0 (provider) or 1 (user)`);
    const energyWh = wholeNumber(`${at}: reading.energyWh`, rr.energyWh, UINT64_MAX, problems);
    const sequence = wholeNumber(`${at}: reading.sequence`, rr.sequence, UINT64_MAX, problems, 1n);
    const chainId = wholeNumber(`${at}: reading.chainId`, rr.chainId, UINT256_MAX, problems);
    if (e.chainId !== undefined && String(e.chainId) !== String(rr.chainId))
      problems.push(`${at}: chainId ${String(e.chainId)} differs from reading.chainId ${String(rr.chainId)}`);
    if (problems.length > before) return;
    readings.push({
      escrow: e.escrow as string,
      signer: e.signer as string,
      signature: e.signature as string,
      reading: { tradeId, side: rr.side as number, energyWh, sequence, chainId },
    });
  });
  return problems.length ? { readings: [], problems } : { readings, problems: [] };
}

/** Sequences must strictly increase per device; within one batch they must already be in that order. */
export function batchSequenceProblems(readings: readonly SignedReading[]): string[] {
  const problems: string[] = [];
  const last = new Map<string, bigint>();
  readings.forEach((r, i) => {
    const device = r.signer.toLowerCase();
    const previous = last.get(device);
    if (previous !== undefined && r.reading.sequence <= previous)
      problems.push(
        `entry ${i}: sequence ${r.reading.sequence} of ${r.signer} does not exceed ${previous} earlier in the file`,
      );
    last.set(device, r.reading.sequence);
  });
  return problems;
}
