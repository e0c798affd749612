/**
 * The benchmark's results: metrics with their literature reference and goal, the JSON file, the
 * printed table, and the comparison with a saved baseline.
 */
import fs from "node:fs";
import path from "node:path";

export type Unit = "gas" | "ms" | "orders";

export interface Metric {
  readonly name: string;
  /** null when the quantity is not measured (then `note` says why). */
  readonly value: number | null;
  readonly unit: Unit;
  readonly reference: number | null;
  readonly goal: number | null;
  readonly note?: string;
}

export interface Results {
  readonly hardfork: string;
  readonly metrics: readonly Metric[];
  readonly notes: readonly string[];
}

/** More is better for capacities (orders per transaction); less is better for gas and time. */
export function higherIsBetter(unit: Unit): boolean {
  return unit === "orders";
}

export function goalMet(m: Metric): boolean | null {
  if (m.value === null || m.goal === null) return null;
  return higherIsBetter(m.unit) ? m.value >= m.goal : m.value <= m.goal;
}

export function writeResults(file: string, results: Results): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
}

export function readResults(file: string): Results | null {
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, "utf8")) as Results;
}

function formatValue(value: number | null, unit: Unit): string {
  if (value === null) return "-";
  if (unit === "ms") return value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0);
  return Math.round(value).toLocaleString("en-US");
}

/**
 * metric | value | unit | reference | ratio (ours/reference) | goal | goal met, and with a baseline:
 * baseline | change %.
 */
export function formatTable(metrics: readonly Metric[], baseline: Results | null): string {
  const base = new Map((baseline?.metrics ?? []).map((m) => [m.name, m]));
  const header = ["metric", "value", "unit", "reference", "ratio", "goal", "goal met"];
  if (baseline) header.push("baseline", "change");
  const rows = metrics.map((m) => {
    const met = goalMet(m);
    const row = [
      m.name,
      formatValue(m.value, m.unit),
      m.unit,
      formatValue(m.reference, m.unit),
      m.value !== null && m.reference ? (m.value / m.reference).toFixed(2) : "-",
      formatValue(m.goal, m.unit),
      met === null ? "-" : met ? "yes" : "NO",
    ];
    if (baseline) {
      const b = base.get(m.name)?.value ?? null;
      row.push(formatValue(b, m.unit));
      row.push(m.value !== null && b ? `${(((m.value - b) / b) * 100).toFixed(1)}%` : "-");
    }
    return row;
  });
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ");
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
