import { isAddress, getAddress } from "ethers";
import { currencyToBaseUnits } from "../core/units";

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

/**
 * A decimal currency amount such as 12.5, converted to token base units with currencyToBaseUnits and checked
 * digit by digit against the text, so the result is exact or the flag is rejected (too many decimals, or more
 * significant digits than a double holds).
 */
export function parseCurrencyArg(
  flag: string,
  value: unknown,
  decimals: number,
  problems: Problems,
  { allowZero = false }: { allowZero?: boolean } = {},
): bigint {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  if (!isCurrencyText(text)) {
    problems.push(`${flag} must be a decimal amount such as 12.5 (got ${JSON.stringify(value ?? "")})`);
    return 0n;
  }
  const [whole, fraction = ""] = text.split(".");
  const significant = fraction.replace(/0+$/, "");
  if (significant.length > decimals) {
    problems.push(`${flag} ${text} has more than ${decimals} decimals (the token's smallest unit is 1e-${decimals})`);
    return 0n;
  }
  const exact = BigInt(whole) * 10n ** BigInt(decimals) + BigInt(significant.padEnd(decimals, "0") || "0");
  let converted: bigint | null = null;
  try {
    converted = currencyToBaseUnits(Number(text), decimals);
  } catch {
    converted = null;
  }
  if (converted !== exact) {
    problems.push(`${flag} ${text} has too many significant digits to convert exactly`);
    return 0n;
  }
  if (!allowZero && exact === 0n) {
    problems.push(`${flag} must be more than 0`);
    return 0n;
  }
  return exact;
}

/** Digits with at most one decimal point: what parseCurrencyArg accepts before it knows the token's decimals. */
export function isCurrencyText(text: string): boolean {
  return /^\d+(\.\d+)?$/.test(text);
}
