import type { GapInstance } from "./types";

/**
 * The instance as a MILP in CPLEX LP format, the text HiGHS (and most MILP solvers) read.
 * Used as an independent oracle in tests and as the comparison in the benchmark; variables
 * x_<agent>_<job> are binary, pairs that are forbidden or never fit are left out.
 */
export function toLpFormat(instance: GapInstance): string {
  const { agents, jobs } = instance;
  const forbidden = new Set((instance.forbidden ?? []).map(([i, j]) => i * jobs + j));
  const usable = (i: number, j: number): boolean =>
    !forbidden.has(i * jobs + j) && instance.resource[i][j] <= instance.capacity[i];
  const x = (i: number, j: number): string => `x_${i}_${j}`;
  const sum = (terms: readonly string[]): string => (terms.length > 0 ? terms.join(" + ") : "0 x_none");
  const lines: string[] = [instance.objective === "max" ? "Maximize" : "Minimize"];
  const objective: string[] = [];
  for (let i = 0; i < agents; i++) {
    for (let j = 0; j < jobs; j++) if (usable(i, j)) objective.push(`${instance.value[i][j]} ${x(i, j)}`);
  }
  lines.push(` obj: ${sum(objective)}`, "Subject To");
  for (let j = 0; j < jobs; j++) {
    const row: string[] = [];
    for (let i = 0; i < agents; i++) if (usable(i, j)) row.push(x(i, j));
    lines.push(` job_${j}: ${sum(row)} = 1`);
  }
  for (let i = 0; i < agents; i++) {
    const row: string[] = [];
    for (let j = 0; j < jobs; j++) if (usable(i, j)) row.push(`${instance.resource[i][j]} ${x(i, j)}`);
    if (row.length > 0) lines.push(` cap_${i}: ${sum(row)} <= ${instance.capacity[i]}`);
  }
  lines.push("Binary");
  for (let i = 0; i < agents; i++) for (let j = 0; j < jobs; j++) if (usable(i, j)) lines.push(` ${x(i, j)}`);
  lines.push("End");
  return lines.join("\n");
}
