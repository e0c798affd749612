/**
 * Exact decimal scaling of a JSON number. A JSON literal like 0.64 becomes a double, and
 * String(double) gives back the shortest decimal that round-trips, i.e. the literal as written.
 * Scaling that text (not the double) is exact: 0.5000001 with 6 decimals is rejected instead of
 * being rounded to 0.5, which a floating-point tolerance would do.
 */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

/** value x 10^decimals as a bigint, or null when that is not an integer. */
export function scaleExactly(value: number, decimals: number): bigint | null {
  if (!Number.isFinite(value)) return null;
  const match = DECIMAL.exec(String(value));
  if (match === null) return null;
  const [, sign, whole, fraction = "", exponent = "0"] = match;
  const shift = decimals + Number(exponent) - fraction.length;
  const digits = BigInt(whole + fraction);
  if (shift >= 0) return (sign === "-" ? -1n : 1n) * digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  if (digits % divisor !== 0n) return null;
  return (sign === "-" ? -1n : 1n) * (digits / divisor);
}
