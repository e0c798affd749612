import { task } from "hardhat/config";
import { parseScenario, runScenarioDetailed, formatScenarioRun, ScenarioError } from "../src/core/auction";
import { UserError, usageError } from "../src/cli/errors";
import { printJson } from "../src/cli/output";
import { readJsonArg } from "../src/cli/files";
import { cliAction, withSend } from "../src/cli/task";
import { runNashOnChain } from "./auction";

interface NashArgs {
  scenario?: string;
  period?: string;
  post: boolean;
  dryRun: boolean;
  json: boolean;
  from: string;
}

/** Reads and validates a scenario file; every problem is named by its file and JSON path. */
function loadScenario(file: string) {
  const json = readJsonArg({ task: "auction:nash", what: "scenario file" }, file);
  try {
    return parseScenario(json);
  } catch (error) {
    if (error instanceof ScenarioError) throw new UserError(`auction:nash: invalid scenario ${file}: ${error.message}`);
    throw error;
  }
}

withSend(
  task(
    "auction:nash",
    "Nash iteration: off-chain on a scenario file (--scenario), or on a period's book (--period --post|--dry-run)",
  ),
)
  .addOptionalParam("scenario", "Scenario JSON file (runs without any chain)")
  .addOptionalParam("period", "Trading period id on chain")
  .addFlag("post", "With --period: send the revisions round by round, close rounds and finalize")
  .setAction(
    cliAction("auction:nash", async (args: NashArgs, hre) => {
      if (Boolean(args.scenario) === Boolean(args.period)) {
        throw usageError("auction:nash", ["give exactly one of --scenario <file.json> or --period <id>"]);
      }
      if (args.period) return runNashOnChain({ ...args, period: args.period }, hre);
      if (args.post) throw usageError("auction:nash", ["--post needs --period"]);
      const run = runScenarioDetailed(loadScenario(args.scenario!));
      if (args.json) return printJson(run.report);
      console.log(formatScenarioRun(run));
    }),
  );
