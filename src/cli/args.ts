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
    // a bound past uint64 is the field's width, not a range a person aims within: name the side crossed
    const range =
      max === undefined || (max > UINT64_MAX && n < min)
        ? `at least ${min}`
        : max > UINT64_MAX
          ? `at most ${boundText(max)}`
          : `between ${min} and ${max}`;
    problems.push(`${flag} must be ${range} (got ${text})`);
    return 0n;
  }
  return n;
}

/** A bound past uint64 as the power of two it stands for (2^256 - 1), not as 78 digits. */
function boundText(max: bigint): string {
  const bits = max.toString(2).length;
  return max > UINT64_MAX && max === (1n << BigInt(bits)) - 1n ? `2^${bits} - 1` : max.toString();
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
export const UINT128_MAX = (1n << 128n) - 1n;
export const UINT256_MAX = (1n << 256n) - 1n;

/**
 * A decimal currency amount (e.g. "0.64") converted exactly to token base units, or a problem. `max` is the
 * largest number of base units the contract's field holds (a uint256 amount unless said otherwise).
 */
export function parseCurrencyArg(
  flag: string,
  value: unknown,
  problems: Problems,
  { min = 0n, max = UINT256_MAX, decimals = 6 }: { min?: bigint; max?: bigint; decimals?: number } = {},
): bigint {
  const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : "";
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) {
    problems.push(`${flag} must be a decimal amount such as 0.64 (got ${JSON.stringify(value ?? "")})`);
    return 0n;
  }
  const fraction = match[2] ?? "";
  if (fraction.length > decimals) {
    problems.push(`${flag} ${text} has more than ${decimals} decimals`);
    return 0n;
  }
  const units = BigInt(match[1]) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
  if (units < min) {
    problems.push(min === 1n ? `${flag} must be more than 0` : `${flag} must be at least ${formatUnits(min, decimals)} (got ${text})`);
    return 0n;
  }
  if (units > max) {
    const bound = max > UINT64_MAX ? `${boundText(max)} base units` : formatUnits(max, decimals);
    problems.push(`${flag} must be at most ${bound} (got ${text})`);
    return 0n;
  }
  return units;
}

/** Base units as a decimal string, without trailing zeros beyond two decimals. */
export function formatUnits(units: bigint, decimals = 6): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const scale = 10n ** BigInt(decimals);
  const fraction = (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${negative ? "-" : ""}${abs / scale}.${fraction}`;
}

/** Digits with at most one decimal point: what parseCurrencyArg accepts before it knows the token's decimals. */
export function isCurrencyText(text: string): boolean {
  return /^\d+(\.\d+)?$/.test(text);
}
