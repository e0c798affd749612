import { validateInstance } from "./problem";
import type { GapInstance, GapObjective } from "./types";

/**
 * Parses the OR-Library / Chu-Beasley / Yagiura instance format (whitespace separated):
 *
 *   m n
 *   value[i][j]     m rows of n integers
 *   resource[i][j]  m rows of n integers
 *   capacity[i]     m integers
 *
 * The files do not say whether values are costs or profits, so the caller chooses.
 */
export function parseGapInstance(text: string, objective: GapObjective): GapInstance {
  const tokens = text
    .trim()
    .split(/\s+/)
    .filter((t) => t.length > 0);
  const numbers = tokens.map((token, k) => {
    if (!/^-?\d+$/.test(token)) throw new SyntaxError(`GAP instance: token ${k + 1} "${token}" is not an integer`);
    return Number(token);
  });
  if (numbers.length < 2) throw new SyntaxError("GAP instance: missing the header 'agents jobs'");
  const [agents, jobs] = numbers;
  const expected = 2 + 2 * agents * jobs + agents;
  if (numbers.length !== expected) {
    throw new SyntaxError(`GAP instance: ${agents}x${jobs} needs ${expected} integers, found ${numbers.length}`);
  }
  let next = 2;
  const matrix = (): number[][] =>
    Array.from({ length: agents }, () => {
      const row = numbers.slice(next, next + jobs);
      next += jobs;
      return row;
    });
  const value = matrix();
  const resource = matrix();
  const capacity = numbers.slice(next, next + agents);
  const instance: GapInstance = { agents, jobs, value, resource, capacity, objective };
  validateInstance(instance);
  return instance;
}
