import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { parseGapInstance, solveGap, type GapObjective } from "../src/core/gap";
import {
  GRID,
  objectiveOf,
  simulateReputation,
  toGapInstance,
  toOnChainAssignment,
  wadToNumber,
} from "../src/core/matching";
import { lineChart } from "../src/core/charts/lineChart";
import {
  formatUnits,
  parseCurrencyArg,
  parseIntegerArg,
  parseSmallIntArg,
  UINT16_MAX,
  UINT64_MAX,
  UINT128_MAX,
  type Problems,
} from "../src/cli/args";
import { UserError, usageError } from "../src/cli/errors";
import { outputFolderProblem, readTextArg } from "../src/cli/files";
import { reportSend } from "../src/cli/report";
import { formatTable, printJson } from "../src/cli/output";
import { cliAction, ensureCompiled, withJson, withSend, type CommonArgs, type SendArgs } from "../src/cli/task";
import { MATCHING_PHASES, matchingAt, readCycle } from "../src/chain/matching";
import { resolveAccount, resolveSigner } from "../src/chain/signers";
import { simulateAndSend, type SendResult } from "../src/chain/send";

function parseCycle(value: unknown, problems: Problems): bigint {
  return parseIntegerArg("--cycle", value, problems, { min: 1n, max: UINT64_MAX });
}

async function openCycle(hre: HardhatRuntimeEnvironment, cycleId: bigint, from?: string) {
  await ensureCompiled(hre);
  const signer = from === undefined ? undefined : await resolveSigner(hre, from);
  const matching = await matchingAt(hre, signer);
  const count = await matching.cycleCount();
  if (cycleId > count)
    throw new UserError(`Cycle ${cycleId} does not exist (${count} cycles so far). Open one with match:open.`);
  return { signer, matching, phase: MATCHING_PHASES[Number(await matching.phaseOf(cycleId))] };
}

interface OpenArgs extends SendArgs {
  region: string;
  postingMinutes: string;
  submissionMinutes: string;
  deliveryHours: string;
  settlementHours: string;
  requestCap: string;
  offerCap: string;
  margin: string;
}

withSend(task("match:open", "Operator: open a reputation-matching cycle"))
  .addOptionalParam("region", "Grid zone (0 = every region)", "0")
  .addOptionalParam("postingMinutes", "Minutes in which offers and requests are posted", "60")
  .addOptionalParam("submissionMinutes", "Minutes after posting in which anyone may submit assignments", "30")
  .addOptionalParam("deliveryHours", "Length of the delivery window, hours", "1")
  .addOptionalParam("settlementHours", "Hours after delivery until anyone may settle", "24")
  .addOptionalParam("requestCap", "Most requests", "256")
  .addOptionalParam("offerCap", "Most offers", "64")
  .addOptionalParam("margin", "Margin per offer and per request, currency", "1.00")
  .setAction(
    cliAction("match:open", async (args: OpenArgs, hre) => {
      const problems: Problems = [];
      const region = parseSmallIntArg("--region", args.region, problems, 0, UINT16_MAX);
      const posting = parseIntegerArg("--posting-minutes", args.postingMinutes, problems, { min: 1n, max: 525_600n });
      const submission = parseIntegerArg("--submission-minutes", args.submissionMinutes, problems, {
        min: 1n,
        max: 525_600n,
      });
      const delivery = parseIntegerArg("--delivery-hours", args.deliveryHours, problems, { min: 1n, max: 8760n });
      const settlement = parseIntegerArg("--settlement-hours", args.settlementHours, problems, { min: 0n, max: 8760n });
      const requestCap = parseSmallIntArg("--request-cap", args.requestCap, problems, 1, 256);
      const offerCap = parseSmallIntArg("--offer-cap", args.offerCap, problems, 1, 64);
      const margin = parseCurrencyArg("--margin", args.margin, problems, { max: UINT128_MAX });
      if (problems.length) throw usageError("match:open", problems);
      await ensureCompiled(hre);
      const signer = await resolveSigner(hre, args.from);
      const matching = await matchingAt(hre, signer);
      const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
      const postingEnds = now + posting * 60n;
      const submissionEnds = postingEnds + submission * 60n;
      const deliveryStart = submissionEnds + 60n;
      const deliveryEnd = deliveryStart + delivery * 3600n;
      const params = {
        region,
        postingEnds,
        submissionEnds,
        deliveryStart,
        deliveryEnd,
        settlementDeadline: deliveryEnd + settlement * 3600n,
        requestCap,
        offerCap,
        margin,
      };
      const result = await simulateAndSend(hre, matching, "openCycle", [params], {
        label: "match:open",
        dryRun: args.dryRun,
      });
      const opened = result.outcome?.events.find((e) => e.name === "CycleOpened");
      reportSend(args, result, `Opened cycle ${opened?.args.cycleId ?? "(next)"}`);
    }),
  );

interface OfferArgs extends SendArgs {
  cycle: string;
  price: string;
  capacityWh: string;
}

withSend(task("match:offer", "Provider: offer energy at a price for a cycle"), "Provider: index or address")
  .addParam("cycle", "Cycle id")
  .addParam("price", "Price per kWh, currency")
  .addParam("capacityWh", "Energy the provider can supply in the cycle, Wh")
  .setAction(
    cliAction("match:offer", async (args: OfferArgs, hre) => {
      const problems: Problems = [];
      const cycleId = parseCycle(args.cycle, problems);
      const price = parseCurrencyArg("--price", args.price, problems, { min: 1n, max: UINT64_MAX });
      const capacityWh = parseIntegerArg("--capacity-wh", args.capacityWh, problems, { min: 1n, max: UINT64_MAX });
      if (problems.length) throw usageError("match:offer", problems);
      const { signer, matching, phase } = await openCycle(hre, cycleId, args.from);
      if (phase !== "Posting")
        throw new UserError(`match:offer: cycle ${cycleId} is in its ${phase} phase, offers are closed`);
      const result = await simulateAndSend(hre, matching, "postOffer", [cycleId, price, capacityWh], {
        label: "match:offer",
        dryRun: args.dryRun,
      });
      reportSend(
        args,
        result,
        `${signer!.address} offers ${capacityWh} Wh at ${formatUnits(price)}/kWh in cycle ${cycleId}`,
      );
    }),
  );

interface RequestArgs extends SendArgs {
  cycle: string;
  energyWh: string;
  maxPrice: string;
}

withSend(task("match:request", "User: request energy for a cycle, up to a maximum price"), "User: index or address")
  .addParam("cycle", "Cycle id")
  .addParam("energyWh", "Energy needed, Wh")
  .addParam("maxPrice", "Highest acceptable price per kWh, currency")
  .setAction(
    cliAction("match:request", async (args: RequestArgs, hre) => {
      const problems: Problems = [];
      const cycleId = parseCycle(args.cycle, problems);
      const energyWh = parseIntegerArg("--energy-wh", args.energyWh, problems, { min: 1n, max: UINT64_MAX });
      const maxPrice = parseCurrencyArg("--max-price", args.maxPrice, problems, { min: 1n, max: UINT64_MAX });
      if (problems.length) throw usageError("match:request", problems);
      const { signer, matching, phase } = await openCycle(hre, cycleId, args.from);
      if (phase !== "Posting")
        throw new UserError(`match:request: cycle ${cycleId} is in its ${phase} phase, requests are closed`);
      const result = await simulateAndSend(hre, matching, "postRequest", [cycleId, energyWh, maxPrice], {
        label: "match:request",
        dryRun: args.dryRun,
      });
      reportSend(
        args,
        result,
        `${signer!.address} requests ${energyWh} Wh up to ${formatUnits(maxPrice)}/kWh in cycle ${cycleId}`,
      );
    }),
  );

interface SolveArgs extends SendArgs {
  gapFile?: string;
  objective: string;
  timeLimit: string;
  cycle?: string;
  post: boolean;
}

/** Offline: one benchmark-format instance, solved and printed. */
function solveGapFile(args: SolveArgs): void {
  const problems: Problems = [];
  const objective = args.objective as GapObjective;
  if (objective !== "max" && objective !== "min")
    problems.push(`--objective must be max or min (got ${args.objective})`);
  const seconds = Number(args.timeLimit);
  if (!Number.isFinite(seconds) || seconds <= 0)
    problems.push(`--time-limit must be a positive number of seconds (got ${args.timeLimit})`);
  if (problems.length) throw usageError("match:solve", problems);
  const text = readTextArg({ task: "match:solve", what: "--gap-file" }, args.gapFile!);
  let instance;
  try {
    instance = parseGapInstance(text, objective);
  } catch (error) {
    throw new UserError(`match:solve: ${args.gapFile} is not a GAP instance: ${(error as Error).message}`);
  }
  const started = performance.now();
  const result = solveGap(instance, { timeLimitMs: seconds * 1000, now: () => performance.now() });
  const ms = Math.round(performance.now() - started);
  const out = {
    status: result.status,
    objective: result.objective,
    bound: result.bound,
    assignment: result.assignment,
    nodes: result.nodes,
    ms,
  };
  if (args.json) return printJson(out);
  console.log(
    `${path.basename(args.gapFile!)}: ${result.status}, objective ${result.objective}, bound ${result.bound}, ${
      result.nodes
    } nodes, ${ms} ms`,
  );
  if (result.assignment) console.log(`assignment (agent per job): ${result.assignment.join(" ")}`);
}

withSend(
  task("match:solve", "Branch-and-bound: a GAP file offline (--gap-file), or a cycle on chain (--cycle [--post])"),
)
  .addOptionalParam("gapFile", "Instance file in the OR-Library GAP format")
  .addOptionalParam("objective", "max or min (with --gap-file)", "max")
  .addOptionalParam("timeLimit", "Seconds before the best assignment so far is returned", "30")
  .addOptionalParam("cycle", "Cycle id on chain")
  .addFlag("post", "With --cycle: submit the assignment (verified on chain)")
  .setAction(
    cliAction("match:solve", async (args: SolveArgs, hre) => {
      if (Boolean(args.gapFile) === Boolean(args.cycle))
        throw usageError("match:solve", ["give exactly one of --gap-file <file> or --cycle <id>"]);
      if (args.gapFile) return solveGapFile(args);
      const problems: Problems = [];
      const cycleId = parseCycle(args.cycle, problems);
      const seconds = Number(args.timeLimit);
      if (!Number.isFinite(seconds) || seconds <= 0) problems.push(`--time-limit must be a positive number of seconds`);
      if (problems.length) throw usageError("match:solve", problems);
      const { matching, phase } = await openCycle(hre, cycleId, args.from);
      const cycle = await readCycle(matching, cycleId);
      const gap = toGapInstance(cycle);
      const result = solveGap(gap.instance, { timeLimitMs: seconds * 1000, now: () => performance.now() });
      if (!result.assignment) throw new UserError(`match:solve: no assignment found (${result.status})`);
      const assignment = toOnChainAssignment(gap, result.assignment);
      const objective = objectiveOf(cycle, assignment);
      const onChain = await matching.objectiveOf(cycleId, assignment);
      if (onChain !== objective)
        throw new UserError(`match:solve: the contract computes objective ${onChain}, the engine ${objective}`);
      const summary = {
        cycle: cycleId,
        status: result.status,
        objective,
        assignment: assignment.map((a) => (a === GRID ? "grid" : a)),
        nodes: result.nodes,
      };
      if (!args.post && !args.dryRun) {
        if (args.json) return printJson(summary);
        console.log(
          `Cycle ${cycleId}: ${result.status}, objective ${objective} (verified by the contract), ${result.nodes} nodes`,
        );
        return console.log(`assignment (offer per request): ${summary.assignment.join(" ")}`);
      }
      if (phase !== "Submission")
        throw new UserError(
          `match:solve --post: cycle ${cycleId} is in its ${phase} phase; assignments are taken in the Submission phase`,
        );
      const sent = await simulateAndSend(hre, matching, "submitAssignment", [cycleId, assignment], {
        label: "match:solve --post",
        dryRun: args.dryRun,
      });
      const accepted = sent.outcome?.events.some((e) => e.name === "AssignmentAccepted");
      reportSend(
        args,
        sent,
        `Cycle ${cycleId}: objective ${objective} ${
          accepted ? "accepted as the best" : sent.outcome ? "not better than the best so far" : ""
        }`,
      );
    }),
  );

interface FinalizeArgs extends SendArgs {
  cycle: string;
  batch: string;
}

withSend(task("match:finalize", "Create the escrow trades of the best assignment, in batches, until done"))
  .addParam("cycle", "Cycle id")
  .addOptionalParam("batch", "Trades or releases per transaction", "40")
  .setAction(
    cliAction("match:finalize", async (args: FinalizeArgs, hre) => {
      const problems: Problems = [];
      const cycleId = parseCycle(args.cycle, problems);
      const batch = parseSmallIntArg("--batch", args.batch, problems, 1, 500);
      if (problems.length) throw usageError("match:finalize", problems);
      const { matching, phase } = await openCycle(hre, cycleId, args.from);
      if (phase !== "Finalizing")
        throw new UserError(
          `match:finalize: cycle ${cycleId} is in its ${phase} phase; finalize after the submission window`,
        );
      const assignment = await bestAssignment(hre, cycleId);
      const results: SendResult[] = [];
      for (let call = 0; call < 1_000; call++) {
        const sent = await simulateAndSend(hre, matching, "finalize", [cycleId, assignment, batch], {
          label: "match:finalize",
          dryRun: args.dryRun,
        });
        results.push(sent);
        if (args.dryRun || sent.outcome!.events.some((e) => e.name === "CycleFinalized")) break;
      }
      const trades = results.flatMap((r) => r.outcome?.events.filter((e) => e.name === "TradeMatched") ?? []);
      if (args.json)
        return printJson({ dryRun: args.dryRun, transactions: results, trades: trades.map((t) => t.args) });
      if (args.dryRun) return reportSend(args, results[0], `finalize cycle ${cycleId}`);
      console.log(`Cycle ${cycleId} finalized in ${results.length} transaction(s): ${trades.length} trades`);
    }),
  );

/** The accepted assignment, read back from the AssignmentAccepted event whose hash is the stored best. */
async function bestAssignment(hre: HardhatRuntimeEnvironment, cycleId: bigint): Promise<number[]> {
  const matching = await matchingAt(hre);
  const best = await matching.bestAssignment(cycleId);
  const requests = Number(await matching.requestCount(cycleId));
  if (!best.exists) return new Array<number>(requests).fill(GRID);
  const coder = hre.ethers.AbiCoder.defaultAbiCoder();
  const events = await matching.queryFilter(matching.filters.AssignmentAccepted(cycleId), 0);
  for (const event of events.reverse()) {
    const tx = await event.getTransaction();
    const decoded = matching.interface.decodeFunctionData("submitAssignment", tx.data);
    const assignment = [...decoded[1]].map(Number);
    if (hre.ethers.keccak256(coder.encode(["uint16[]"], [assignment])) === best.assignmentHash) return assignment;
  }
  throw new UserError(
    `match:finalize: the best assignment of cycle ${cycleId} is not among its AssignmentAccepted transactions`,
  );
}

interface ShowArgs extends CommonArgs {
  cycle: string;
}

withJson(task("match:show", "A cycle's offers, requests and best assignment"))
  .addParam("cycle", "Cycle id")
  .setAction(
    cliAction("match:show", async (args: ShowArgs, hre) => {
      const problems: Problems = [];
      const cycleId = parseCycle(args.cycle, problems);
      if (problems.length) throw usageError("match:show", problems);
      const { matching, phase } = await openCycle(hre, cycleId);
      const cycle = await readCycle(matching, cycleId);
      const best = await matching.bestAssignment(cycleId);
      const state = await matching.cycleState(cycleId);
      const view = {
        cycle: cycleId,
        phase,
        offers: cycle.offers.map((o, i) => ({ offer: i, provider: cycle.providers[i], ...o })),
        requests: cycle.requests.map((r, i) => ({ request: i, user: cycle.users[i], ...r })),
        best: { exists: best.exists, objective: best.objective, submitter: best.submitter },
        trades: Number(state.trades),
        settled: Number(state.settled),
        reputationApplied: state.reputationApplied,
      };
      if (args.json) return printJson(view);
      console.log(
        `Cycle ${cycleId}: ${phase}; best objective ${best.exists ? best.objective : "none yet"}; trades ${
          view.trades
        }, settled ${view.settled}`,
      );
      console.log(
        formatTable(
          ["offer", "provider", "price/kWh", "capacity Wh", "RC", "status"],
          view.offers.map((o) => [
            o.offer,
            o.provider,
            formatUnits(o.pricePerKwh),
            o.capacityWh,
            (Number(o.rcMicro) / 1e6).toFixed(3),
            o.cancelled ? "cancelled" : "open",
          ]),
        ),
      );
      console.log();
      console.log(
        formatTable(
          ["request", "user", "energy Wh", "max price/kWh", "status"],
          view.requests.map((r) => [
            r.request,
            r.user,
            r.energyWh,
            formatUnits(r.maxPricePerKwh),
            r.cancelled ? "cancelled" : "open",
          ]),
        ),
      );
    }),
  );

interface UpdateArgs extends SendArgs {
  cycle: string;
}

withSend(task("reputation:update", "Apply a settled cycle's delivery ratios to its providers' reputation (anyone)"))
  .addParam("cycle", "Cycle id")
  .setAction(
    cliAction("reputation:update", async (args: UpdateArgs, hre) => {
      const problems: Problems = [];
      const cycleId = parseCycle(args.cycle, problems);
      if (problems.length) throw usageError("reputation:update", problems);
      const { matching } = await openCycle(hre, cycleId, args.from);
      const sent = await simulateAndSend(hre, matching, "updateReputation", [cycleId], {
        label: "reputation:update",
        dryRun: args.dryRun,
      });
      const updates = sent.outcome?.events.filter((e) => e.name === "ReputationUpdated") ?? [];
      reportSend(args, sent, `Cycle ${cycleId}: reputation applied to ${updates.length} provider(s)`);
    }),
  );

interface ReputationArgs extends CommonArgs {
  account: string;
}

withJson(task("reputation:show", "A provider's comprehensive reputation RC"))
  .addParam("account", "Provider: address or account index")
  .setAction(
    cliAction("reputation:show", async (args: ReputationArgs, hre) => {
      await ensureCompiled(hre);
      const account = await resolveAccount(hre, args.account, "--account");
      const matching = await matchingAt(hre);
      const rc = await matching.reputationOf(account);
      if (args.json)
        return printJson({
          account,
          reputationWad: rc,
          reputation: wadToNumber(rc),
          lastAppliedCycle: await matching.lastAppliedCycle(),
        });
      console.log(
        `${account}: RC = ${wadToNumber(rc).toFixed(6)} (cycles applied up to ${await matching.lastAppliedCycle()})`,
      );
    }),
  );

interface SimulateArgs extends CommonArgs {
  seed: string;
  out?: string;
}

const ALPHA = 0.4;
const CYCLES = 10;
const TRADES_PER_CYCLE = 10;

withJson(task("reputation:simulate", "Paper B's reputation simulation: 4 providers, alpha 0.4, 10 cycles of 10 trades"))
  .addOptionalParam("seed", "Seed of the random deliveries", "7")
  .addOptionalParam("out", "Folder for reputation.svg")
  .setAction(
    cliAction("reputation:simulate", async (args: SimulateArgs, _hre) => {
      const problems: Problems = [];
      const seed = Number(parseIntegerArg("--seed", args.seed, problems, { min: 0n, max: 4_294_967_295n }));
      const outProblem = args.out === undefined ? null : outputFolderProblem("--out", args.out);
      if (outProblem) problems.push(outProblem);
      if (problems.length) throw usageError("reputation:simulate", problems);
      const sim = simulateReputation({ seed, alpha: ALPHA, cycles: CYCLES, tradesPerCycle: TRADES_PER_CYCLE });
      const providers = sim.providers.map((p) => ({
        id: `P${p.id}`,
        behaviour: p.behaviour,
        reputation: p.reputation,
      }));
      if (args.out) {
        fs.mkdirSync(args.out, { recursive: true });
        const svg = lineChart(
          providers.map((p) => ({
            label: `${p.id} (${p.behaviour})`,
            points: p.reputation.map((r, i) => [i + 1, r] as const),
          })),
          {
            title: `Comprehensive reputation RC per cycle (alpha ${ALPHA}, seed ${seed})`,
            xLabel: "cycle",
            yLabel: "RC",
            yMin: 0,
            yMax: 1,
          },
        );
        fs.writeFileSync(path.join(args.out, "reputation.svg"), svg);
      }
      const output = { alpha: ALPHA, cycles: CYCLES, tradesPerCycle: TRADES_PER_CYCLE, seed, providers };
      if (args.json) return printJson(output);
      console.log(
        formatTable(
          ["cycle", ...providers.map((p) => `${p.id} ${p.behaviour}`)],
          Array.from({ length: CYCLES }, (_, c) => [c + 1, ...providers.map((p) => p.reputation[c].toFixed(3))]),
        ),
      );
      if (args.out) console.log(`\nChart: ${path.join(args.out, "reputation.svg")}`);
    }),
  );
