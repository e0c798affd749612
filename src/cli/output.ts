/** Output helpers: JSON for scripts (bigint as decimal strings), aligned tables for people. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

export function printJson(value: unknown): void {
  console.log(toJson(value));
}

/** Renders rows as a plain-text table with a header line. */
export function formatTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = rows.map((row) => row.map((c) => (c === null || c === undefined ? "-" : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/** Token base units as an exact decimal with the token's symbol, e.g. 6400000n, 6, "gEUR" -> "6.4 gEUR". */
export function formatTokenAmount(units: bigint, decimals: number, symbol: string): string {
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const scale = 10n ** BigInt(decimals);
  const fraction = (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${abs / scale}${fraction ? "." + fraction : ""} ${symbol}`;
}

/** A unix timestamp in seconds as an ISO date, for people. */
export function formatTimestamp(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}

/** "label  value" lines with the values aligned, for one record shown to a person. */
export function formatFields(fields: readonly (readonly [string, unknown])[]): string {
  const width = Math.max(0, ...fields.map(([k]) => k.length)) + 2;
  return fields.map(([k, v]) => `${k.padEnd(width)}${String(v)}`.trimEnd()).join("\n");
}
