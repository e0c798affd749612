/** Generalized assignment problem: exact Lagrangian branch-and-bound and its helpers. */
export type { GapInstance, GapObjective, GapOptions, GapResult, GapStatus } from "./types";
export { solveGap, DEFAULT_GAP_OPTIONS } from "./solve";
export { solveGapBruteForce } from "./bruteForce";
export { parseGapInstance } from "./parse";
export { withGridFallback, gridAgentIndex } from "./gridFallback";
export { checkAssignment, type AssignmentCheck } from "./evaluate";
export { toLpFormat } from "./lpFormat";
