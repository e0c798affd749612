import type { GapInstance } from "./types";

export interface AssignmentCheck {
  readonly feasible: boolean;
  /** Objective of the assignment when feasible, null otherwise. */
  readonly objective: number | null;
  /** First violation found, for error messages. */
  readonly reason: string | null;
}

/**
 * Recomputes what makes an assignment valid, in one pass and from the caller's instance (the
 * same checks the contract repeats on chain): every job on a usable agent, every capacity kept.
 */
export function checkAssignment(instance: GapInstance, assignment: readonly number[]): AssignmentCheck {
  const fail = (reason: string): AssignmentCheck => ({ feasible: false, objective: null, reason });
  const { agents, jobs } = instance;
  if (assignment.length !== jobs) return fail(`expected ${jobs} entries, got ${assignment.length}`);
  const forbidden = new Set((instance.forbidden ?? []).map(([i, j]) => i * jobs + j));
  const load = new Array<number>(agents).fill(0);
  let objective = 0;
  for (let j = 0; j < jobs; j++) {
    const i = assignment[j];
    if (!Number.isInteger(i) || i < 0 || i >= agents) return fail(`job ${j}: agent ${i} does not exist`);
    if (forbidden.has(i * jobs + j)) return fail(`job ${j}: pair with agent ${i} is forbidden`);
    load[i] += instance.resource[i][j];
    objective += instance.value[i][j];
  }
  for (let i = 0; i < agents; i++) {
    if (load[i] > instance.capacity[i])
      return fail(`agent ${i}: load ${load[i]} exceeds capacity ${instance.capacity[i]}`);
  }
  return { feasible: true, objective, reason: null };
}
