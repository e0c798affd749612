import type { GapInstance } from "./types";

/**
 * Grid fallback for the market (SPEC section 4): a request no provider can take is served by
 * the grid. The grid is one extra agent, index `instance.agents`, that takes any job, uses no
 * capacity and is worth `gridValue` (matching degree M = 0 when maximising). Every instance
 * then has a feasible assignment, so the solver never answers "infeasible".
 *
 * How a caller uses it:
 *   const result = solveGap(instance, { gridFallback: true });
 *   result.assignment[j] === gridAgentIndex(instance)  // request j goes to the grid
 * or, to price the grid per request (e.g. a cost when minimising):
 *   solveGap(withGridFallback(instance, gridCostPerRequest))
 */
export function withGridFallback(instance: GapInstance, gridValue: number | readonly number[] = 0): GapInstance {
  const values =
    typeof gridValue === "number" ? new Array<number>(instance.jobs).fill(gridValue) : Array.from(gridValue);
  if (values.length !== instance.jobs) {
    throw new RangeError(`GAP grid fallback: expected ${instance.jobs} grid values, got ${values.length}`);
  }
  return {
    ...instance,
    agents: instance.agents + 1,
    value: [...instance.value, values],
    // Zero resource against zero capacity: the grid never runs out of room.
    resource: [...instance.resource, new Array<number>(instance.jobs).fill(0)],
    capacity: [...instance.capacity, 0],
  };
}

/** Agent index that stands for the grid in an assignment solved with the grid fallback. */
export function gridAgentIndex(instance: GapInstance): number {
  return instance.agents;
}
