import fc from "fast-check";
import type { GapInstance, GapObjective } from "../../../src/core/gap";

/** Small enough for the brute force (agents^jobs <= 4^7), varied enough to hit edge cases. */
export function tinyInstance(): fc.Arbitrary<GapInstance> {
  return fc
    .record({
      agents: fc.integer({ min: 1, max: 4 }),
      jobs: fc.integer({ min: 0, max: 7 }),
      objective: fc.constantFrom<GapObjective>("max", "min"),
    })
    .chain(({ agents, jobs, objective }) => {
      const matrix = (min: number, max: number) =>
        fc.array(fc.array(fc.integer({ min, max }), { minLength: jobs, maxLength: jobs }), {
          minLength: agents,
          maxLength: agents,
        });
      const pair = fc.tuple(
        fc.integer({ min: 0, max: agents - 1 }),
        fc.integer({ min: 0, max: Math.max(0, jobs - 1) }),
      );
      return fc
        .record({
          value: matrix(-15, 40),
          resource: matrix(0, 12),
          // Percent of the agent's fair share of all resources: from hopeless to roomy, so
          // infeasible instances come up regularly and tight ones need real branching.
          tightness: fc.array(fc.integer({ min: 50, max: 300 }), { minLength: agents, maxLength: agents }),
          forbidden: jobs === 0 ? fc.constant([]) : fc.array(pair, { maxLength: 4 }),
        })
        .map(({ value, resource, tightness, forbidden }) => ({
          agents,
          jobs,
          objective,
          // Negative values too: the solver must not assume profits or costs are positive.
          value,
          resource,
          capacity: resource.map((row, i) =>
            Math.floor((tightness[i] * row.reduce((a, b) => a + b, 0)) / (100 * agents)),
          ),
          forbidden,
        }));
    });
}

/** Deterministic PRNG (mulberry32) for the larger fixed instances. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Chu-Beasley style instance: resources 5..25, values 10..50, capacity a fraction `tightness`
 * of each agent's fair share (type C uses 0.8). `correlated` makes values fall as resources
 * grow, like types D and E, which is what makes the Lagrangian gap wider.
 */
export function randomInstance(
  seed: number,
  agents: number,
  jobs: number,
  objective: GapObjective,
  tightness = 0.8,
  correlated = false,
): GapInstance {
  const random = seededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const resource = Array.from({ length: agents }, () => Array.from({ length: jobs }, () => int(5, 25)));
  const value = resource.map((row) => row.map((r) => (correlated ? 111 - 4 * r + int(-10, 10) : int(10, 50))));
  const capacity = resource.map((row) => Math.floor((tightness * row.reduce((a, b) => a + b, 0)) / agents));
  return { agents, jobs, value, resource, capacity, objective };
}
