import { isAddress, getAddress } from "ethers";

/**
 * Parsers for task arguments. Each returns the parsed value or pushes a sentence naming the flag
 * onto `problems`, so a task can report every mistake at once before it sends anything.
 */
export type Problems = string[];

export function parseAddressArg(flag: string, value: unknown, problems: Problems): string {
  if (typeof value !== "string" || value.trim() === "") {
    problems.push(`${flag} is required (an address 0x… with 40 hex digits)`);
    return "";
  }
  const v = value.trim();
  if (!isAddress(v)) {
    problems.push(`${flag} "${v}" is not a valid address (0x followed by 40 hex digits, checksum if mixed case)`);
    return "";
  }
  return getAddress(v);
}

/** A whole number within [min, max], given as decimal digits. */
export function parseIntegerArg(
  flag: string,
  value: unknown,
  problems: Problems,
  { min = 0n, max }: { min?: bigint; max?: bigint } = {},
): bigint {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  if (!/^-?\d+$/.test(text)) {
    problems.push(`${flag} must be a whole number (got ${JSON.stringify(value ?? "")})`);
    return 0n;
  }
  const n = BigInt(text);
  if (n < min || (max !== undefined && n > max)) {
    const range = max === undefined ? `at least ${min}` : `between ${min} and ${max}`;
    problems.push(`${flag} must be ${range} (got ${text})`);
    return 0n;
  }
  return n;
}

export function parseSmallIntArg(flag: string, value: unknown, problems: Problems, min: number, max: number): number {
  return Number(parseIntegerArg(flag, value, problems, { min: BigInt(min), max: BigInt(max) }));
}

export function requireText(flag: string, value: unknown, problems: Problems): string {
  if (typeof value !== "string" || value.trim() === "") {
    problems.push(`${flag} is required`);
    return "";
  }
  return value.trim();
}

export const UINT16_MAX = 0xffff;
export const UINT32_MAX = 0xffff_ffff;
export const UINT64_MAX = (1n << 64n) - 1n;
