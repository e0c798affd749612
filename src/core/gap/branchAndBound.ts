import { constructInitialAssignment, desirabilityMeasures, repairRelaxedSolution } from "./heuristics";
import { initialMultipliers, LagrangianRelaxation } from "./lagrangian";
import { localSearch } from "./localSearch";
import { internalValue, isFeasibleAssignment, worstAssignmentValue, type GapProblem } from "./problem";
import { SearchState } from "./searchState";
import { integerBound, optimizeMultipliers, type SubgradientSettings } from "./subgradient";

export interface SearchLimits {
  readonly timeLimitMs: number;
  readonly nodeLimit: number;
  readonly now: () => number;
  readonly rootIterations: number;
  readonly nodeIterations: number;
  readonly initialAssignment: readonly number[] | null;
}

export type SearchStop = "complete" | "nodeLimit" | "timeLimit";

export interface SearchOutcome {
  readonly stop: SearchStop;
  /** Best assignment found (internal problem indices), null when none. */
  readonly assignment: Int32Array | null;
  /** Internal (maximised) value of `assignment`. */
  readonly value: number;
  /** Proven internal upper bound: the optimum when complete, -Infinity when proven infeasible. */
  readonly bound: number;
  readonly nodes: number;
}

/** A child waiting on the depth-first stack. */
interface PendingNode {
  /** Trail length of the parent after its own fixings: undoing to it restores the parent. */
  readonly mark: number;
  /** true: x[agent][job] = 1; false: x[agent][job] = 0. */
  readonly assign: boolean;
  readonly agent: number;
  readonly job: number;
  /** Parent's integer bound, valid for this child until it is processed. */
  readonly parentBound: number;
  /** Parent's multipliers: a warm start that is usually close to the child's best. */
  readonly multiplier: Float64Array;
}

type NodeOutcome =
  | { readonly kind: "pruned" }
  | { readonly kind: "stopped"; readonly bound: number }
  | { readonly kind: "branch"; readonly agent: number; readonly job: number; readonly bound: number };

/**
 * The root bound decides how many probes run, and one unit of it can cost thousands of nodes
 * (e20100), so the root optimises patiently; nodes start near their parent's multipliers and
 * only need a few corrective steps.
 */
const ROOT_SETTINGS: SubgradientSettings = { iterations: 0, initialStep: 2, patience: 20, minStep: 0.005 };
const NODE_SETTINGS: SubgradientSettings = { iterations: 0, initialStep: 0.5, patience: 2, minStep: 0.1 };

/** Subgradient-and-fixing rounds per node: each re-optimises the multipliers on the smaller node. */
const MAX_FIXING_ROUNDS = 4;
/** Passes of fixing with the same multipliers: every fix can lower the bound and enable more. */
const MAX_FIXING_PASSES = 8;
/** Rounds of the root subgradient between two Lagrangian repair heuristics. */
const ROOT_REPAIR_EVERY = 5;
/**
 * Below the root, repairs rarely beat the incumbent (the probes' targets and the complete
 * relaxed solutions find the good assignments), so only every so many nodes pay for one.
 */
const NODE_REPAIR_EVERY = 16;

/**
 * Depth-first branch-and-bound over binary decisions x[i][j] = 1 / x[i][j] = 0, bounded by the
 * Lagrangian relaxation of the assignment constraints (one exact knapsack per agent), with
 * reduced-cost fixing at every node and Lagrangian repair heuristics for incumbents.
 */
export class BranchAndBound {
  private readonly state: SearchState;
  private readonly relaxation: LagrangianRelaxation;
  private readonly measures: Float64Array[];
  private readonly ifAssigned: Float64Array;
  private readonly ifForbidden: Float64Array;
  private readonly scratch: Float64Array;
  private incumbent: Int32Array | null = null;
  /**
   * Internal value a new assignment must beat. Before any assignment exists it sits just below
   * the worst possible assignment, so the same bound test then proves infeasibility.
   */
  private incumbentValue: number;
  /** While probing: only assignments worth more than this are searched for. */
  private target = -Infinity;
  private nodes = 0;
  private stopReason: SearchStop = "complete";
  private readonly startTime: number;

  constructor(private readonly problem: GapProblem, private readonly limits: SearchLimits) {
    this.state = new SearchState(problem);
    this.relaxation = new LagrangianRelaxation(problem, this.state);
    this.measures = desirabilityMeasures(problem);
    this.ifAssigned = new Float64Array(problem.agents * problem.jobs);
    this.ifForbidden = new Float64Array(problem.agents * problem.jobs);
    this.scratch = new Float64Array(problem.jobs);
    this.incumbentValue = worstAssignmentValue(problem) - 1;
    this.startTime = Number.isFinite(limits.timeLimitMs) ? limits.now() : 0;
  }

  run(): SearchOutcome {
    const { problem, limits } = this;
    if (limits.initialAssignment !== null) this.offer(Int32Array.from(limits.initialAssignment));
    const first = constructInitialAssignment(problem, this.measures, (a) => localSearch(problem, a));
    if (first !== null) this.offer(first.assignment);

    if (!this.state.propagate()) return this.finish(-Infinity);
    const multiplier = initialMultipliers(problem);
    this.nodes = 1;
    const root = this.processNode(multiplier, { ...ROOT_SETTINGS, iterations: limits.rootIterations }, true);
    if (root.kind === "pruned") return this.finish(this.incumbentValue);
    if (root.kind === "stopped") return this.finish(root.bound);

    // Probing (after Posta, Ferland and Michelon): search only for assignments worth more than
    // `proven - gap`. Such a target prunes and fixes far more than a weak heuristic incumbent;
    // when the probe finds nothing, the optimum is at most the target and the next probe aims
    // lower, half as far again: probes grow steeply as the target drops, so overshooting the
    // optimum costs as much as probing too often. The gap grows, so the loop ends once the
    // target reaches the incumbent, which makes the last probe an ordinary search.
    const rootMark = this.state.mark;
    let proven = root.bound;
    for (let gap = 1; ; gap = Math.ceil(gap * 1.5)) {
      this.target = proven - gap > this.incumbentValue ? proven - gap : -Infinity;
      const openBound = this.depthFirst(rootMark, multiplier, proven);
      if (openBound !== null) return this.finish(Math.min(proven, openBound));
      if (this.incumbentValue >= this.target) {
        this.target = -Infinity;
        return this.finish(this.incumbentValue);
      }
      proven = this.target;
      this.state.undoTo(rootMark);
    }
  }

  /**
   * Depth-first search below the node at `rootMark`. Returns null when the tree is exhausted,
   * or, when a budget ran out, the bound over the part left unexplored.
   */
  private depthFirst(rootMark: number, rootMultiplier: Float64Array, rootBound: number): number | null {
    const stack: PendingNode[] = [
      { mark: rootMark, assign: false, agent: -1, job: -1, parentBound: rootBound, multiplier: rootMultiplier },
    ];
    while (stack.length > 0) {
      if (this.outOfBudget()) return this.openBound(stack);
      const node = stack.pop() as PendingNode;
      this.state.undoTo(node.mark);
      if (node.agent >= 0) {
        if (node.assign) this.state.assign(node.agent, node.job);
        else this.state.forbid(node.agent, node.job);
      }
      if (!this.state.propagate()) continue;
      this.nodes++;
      const own = Float64Array.from(node.multiplier);
      const outcome = this.processNode(own, { ...NODE_SETTINGS, iterations: this.limits.nodeIterations }, false);
      if (outcome.kind === "stopped") {
        stack.push(node);
        return this.openBound(stack);
      }
      if (outcome.kind === "branch") this.pushChildren(stack, outcome, own);
    }
    return null;
  }

  /** Value a new assignment must beat: the incumbent or, while probing, the probe's target. */
  private threshold(): number {
    return Math.max(this.incumbentValue, this.target);
  }

  private outOfBudget(): boolean {
    if (this.nodes >= this.limits.nodeLimit) {
      this.stopReason = "nodeLimit";
      return true;
    }
    return this.outOfTime();
  }

  private outOfTime(): boolean {
    if (Number.isFinite(this.limits.timeLimitMs) && this.limits.now() - this.startTime >= this.limits.timeLimitMs) {
      this.stopReason = "timeLimit";
      return true;
    }
    return false;
  }

  /**
   * Bound over the unexplored part of the tree: the best waiting parent bound, or the threshold
   * (assignments up to it were never searched for).
   */
  private openBound(stack: readonly PendingNode[]): number {
    let bound = this.threshold();
    for (const node of stack) if (node.parentBound > bound) bound = node.parentBound;
    return bound;
  }

  private finish(bound: number): SearchOutcome {
    const found = this.incumbent !== null;
    const proven = this.stopReason === "complete";
    return {
      stop: this.stopReason,
      assignment: this.incumbent,
      value: found ? this.incumbentValue : -Infinity,
      // A finished search without an assignment proves infeasibility whatever bound it saw last.
      bound: proven ? (found ? this.incumbentValue : -Infinity) : found ? Math.max(bound, this.incumbentValue) : bound,
      nodes: this.nodes,
    };
  }

  private pushChildren(stack: PendingNode[], branch: NodeOutcome & { kind: "branch" }, multiplier: Float64Array): void {
    const mark = this.state.mark;
    const shared = Float64Array.from(multiplier);
    const child = (assign: boolean): PendingNode => ({
      mark,
      assign,
      agent: branch.agent,
      job: branch.job,
      parentBound: branch.bound,
      multiplier: shared,
    });
    // The stack is last-in first-out: the child to explore first goes on top.
    stack.push(child(false), child(true));
  }

  /** Takes `assignment` as the incumbent if it is feasible and better. */
  private offer(assignment: Int32Array): void {
    if (!isFeasibleAssignment(this.problem, assignment)) return;
    const value = internalValue(this.problem, assignment);
    if (value > this.incumbentValue) {
      this.incumbentValue = value;
      this.incumbent = assignment;
    }
  }

  private repairAndOffer(): void {
    const { problem, relaxation, state } = this;
    const repaired = repairRelaxedSolution(problem, state.assigned, relaxation.chosen, this.measures[0]);
    if (repaired === null) return;
    localSearch(problem, repaired);
    this.offer(repaired);
  }

  /** The relaxed solution is complete: fixed jobs plus exactly one knapsack per free job. */
  private offerRelaxedSolution(): void {
    const { agents, jobs } = this.problem;
    const assignment = Int32Array.from(this.state.assigned);
    for (let f = 0; f < this.relaxation.freeCount; f++) {
      const j = this.relaxation.freeJobs[f];
      for (let i = 0; i < agents; i++) if (this.relaxation.chosen[i * jobs + j] === 1) assignment[j] = i;
    }
    this.offer(assignment);
  }

  private processNode(multiplier: Float64Array, settings: SubgradientSettings, isRoot: boolean): NodeOutcome {
    const { relaxation, state } = this;
    relaxation.refreshFreeJobs();
    let stopped = false;
    const hooks = {
      threshold: () => this.threshold(),
      onRound: (round: number) => {
        if (isRoot && round % ROOT_REPAIR_EVERY === 0) this.repairAndOffer();
      },
      shouldStop: () => {
        stopped = stopped || (isRoot && this.outOfTime());
        return stopped;
      },
    };

    // Each round re-optimises the multipliers on the node that the previous round's fixings
    // shrank; the last round only fixes, then branches on fresh pair bounds.
    for (let round = 0; round < MAX_FIXING_ROUNDS; round++) {
      if (relaxation.freeCount === 0) return this.offerFixedAssignment();
      const outcome = optimizeMultipliers(relaxation, multiplier, settings, hooks, this.scratch);
      if (outcome.complete) {
        this.offerRelaxedSolution();
        return { kind: "pruned" };
      }
      if (stopped) return { kind: "stopped", bound: integerBound(outcome.bound) };
      if (isRoot || this.nodes % NODE_REPAIR_EVERY === 0) this.repairAndOffer();
      if (integerBound(outcome.bound) <= this.threshold()) return { kind: "pruned" };

      const lastRound = round + 1 === MAX_FIXING_ROUNDS;
      let fixedThisRound = 0;
      for (let pass = 0; pass < MAX_FIXING_PASSES; pass++) {
        const bound = relaxation.pairBounds(multiplier, this.ifAssigned, this.ifForbidden);
        if (integerBound(bound) <= this.threshold()) return { kind: "pruned" };
        if (lastRound && pass + 1 === MAX_FIXING_PASSES) return this.chooseBranch(bound);
        const fixed = this.fixByReducedCosts();
        if (fixed < 0 || !state.propagate()) return { kind: "pruned" };
        relaxation.refreshFreeJobs();
        if (relaxation.freeCount === 0) return this.offerFixedAssignment();
        if (fixed === 0) {
          if (fixedThisRound === 0 || lastRound) return this.chooseBranch(bound);
          break;
        }
        fixedThisRound += fixed;
      }
    }
    throw new Error("GAP: unreachable, the last fixing round always branches or prunes");
  }

  /** Every job is fixed: the node holds exactly one assignment, feasible by construction. */
  private offerFixedAssignment(): NodeOutcome {
    this.offer(Int32Array.from(this.state.assigned));
    return { kind: "pruned" };
  }

  /**
   * Excludes every pair whose forced bound cannot beat the incumbent: forbid x[i][j] when
   * x[i][j] = 1 cannot win, assign j to i when x[i][j] = 0 cannot win. Each exclusion removes
   * only non-improving assignments, so all of them hold together; when they contradict each
   * other no improving assignment is left. Returns the number of changes, -1 on contradiction.
   */
  private fixByReducedCosts(): number {
    const { agents, jobs, weight } = this.problem;
    const { state, relaxation } = this;
    const threshold = this.threshold();
    let changes = 0;
    for (let f = 0; f < relaxation.freeCount; f++) {
      const j = relaxation.freeJobs[f];
      let forcedAgent = -1;
      for (let i = 0; i < agents; i++) {
        const pair = i * jobs + j;
        if (state.allowed[pair] === 0) continue;
        if (integerBound(this.ifAssigned[pair]) <= threshold) {
          state.forbid(i, j);
          changes++;
        } else if (integerBound(this.ifForbidden[pair]) <= threshold) {
          if (forcedAgent >= 0) return -1;
          forcedAgent = i;
        }
      }
      if (forcedAgent >= 0 && state.isFree(j)) {
        if (state.allowed[forcedAgent * jobs + j] === 0) return -1;
        if (weight[forcedAgent * jobs + j] > state.remaining[forcedAgent]) return -1;
        state.assign(forcedAgent, j);
        changes++;
      }
    }
    return changes;
  }

  /**
   * Branches on the pair whose two children lose the most bound together (product of the two
   * degradations, as in strong branching, but priced from the pair bounds already computed for
   * fixing). The assigning child goes first: it fixes a whole job, so the dive reaches complete
   * assignments (and incumbents) sooner.
   */
  private chooseBranch(bound: number): NodeOutcome {
    const { agents, jobs } = this.problem;
    const { state, relaxation } = this;
    let bestScore = -1;
    let bestAgent = -1;
    let bestJob = -1;
    for (let f = 0; f < relaxation.freeCount; f++) {
      const j = relaxation.freeJobs[f];
      for (let i = 0; i < agents; i++) {
        const pair = i * jobs + j;
        if (state.allowed[pair] === 0) continue;
        const lossIfAssigned = bound - this.ifAssigned[pair];
        const lossIfForbidden = bound - this.ifForbidden[pair];
        const score = (lossIfAssigned + 1e-6) * (lossIfForbidden + 1e-6);
        if (score > bestScore) {
          bestScore = score;
          bestAgent = i;
          bestJob = j;
        }
      }
    }
    return { kind: "branch", agent: bestAgent, job: bestJob, bound: integerBound(bound) };
  }
}
