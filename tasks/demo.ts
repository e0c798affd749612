import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { task } from "hardhat/config";
import { LOCAL_CHAIN_IDS } from "../src/chain/escrow";
import { UserError } from "../src/cli/errors";
import { outputFolderProblem } from "../src/cli/files";
import { printJson, toJson } from "../src/cli/output";
import { lineProgress } from "../src/cli/progress";
import { cliAction, ensureCompiled } from "../src/cli/task";
import { accountsNeeded, buildRoster, demoCharts, formatDemo } from "../src/core/demo";
import { loadDemo } from "./demo/files";
import { runTradingDay } from "./demo/tradingDay";

/**
 * The end-to-end trading day on a local chain (the embedded network, or a Hardhat node or anvil through
 * --network localhost / anvil, where the deployment is recorded as `ignition deploy` records it): deployment through Ignition, onboarding, paper A's
 * auction hours on chain, paper B's reputation cycles, metering and settlement of every trade, then the
 * report read back from the chain (tables on stdout, or report.json with --json; charts in --out).
 * The pieces live in tasks/demo/ (flows through the tasks), src/chain/demo/ (meters, clock, readers) and
 * src/core/demo/ (scenario, report, tables, charts).
 */
interface DemoArgs {
  scenario: string;
  out: string;
  json: boolean;
}

task("demo", "Run the end-to-end trading day on the embedded network or a local node (localhost, anvil)")
  .addOptionalParam("scenario", "Demo scenario file (auction hours and reputation cycles)", "scenarios/demo.json")
  .addOptionalParam("out", "Folder for report.json, the SVG charts and the tasks' transcript", "out")
  .addFlag("json", "Print report.json on stdout (and nothing else)")
  .setAction(
    cliAction("demo", async (args: DemoArgs, hre) => {
      const started = performance.now();
      // a configured chain id (sepolia's) refuses before any connection is made
      const configured = hre.network.config.chainId;
      const chainId = configured !== undefined ? BigInt(configured) : (await hre.ethers.provider.getNetwork()).chainId;
      if (!LOCAL_CHAIN_IDS.includes(chainId)) {
        throw new UserError(
          `demo runs on local chains only (chain ids ${LOCAL_CHAIN_IDS.join(", ")}): it mints test tokens and ` +
            `moves time forward. Network "${hre.network.name}" is chain ${chainId}; run it without --network, ` +
            `or with --network localhost / --network anvil against a local node.`,
        );
      }
      const loaded = loadDemo(path.resolve(args.scenario));
      const roster = buildRoster(loaded.demo, loaded.hours);
      const signers = await hre.ethers.getSigners();
      if (signers.length < accountsNeeded(roster)) {
        throw new UserError(
          `demo: the scenario has ${roster.length} participants plus the operator, the network ${signers.length} accounts`,
        );
      }
      const outProblem = outputFolderProblem("--out", args.out);
      if (outProblem) throw new UserError(`demo: ${outProblem}`);
      const out = path.resolve(args.out);
      fs.mkdirSync(out, { recursive: true });

      await ensureCompiled(hre);
      const progress = lineProgress(Boolean(process.stderr.isTTY) && !args.json, "demo");
      const transcript: string[] = [];
      const transcriptFile = path.join(out, "transcript.txt");
      let day;
      try {
        day = await runTradingDay(hre, loaded, roster, progress, transcript);
      } catch (error) {
        progress.finish();
        fs.writeFileSync(transcriptFile, transcript.join("\n"));
        console.error(`demo stopped; the tasks it ran so far and their output are in ${transcriptFile}`);
        throw error;
      }
      progress.finish();
      const { report, runner, contracts } = day;

      const files = [
        { name: "report.json", text: toJson(report) + "\n" },
        ...demoCharts(report).map((c) => ({ name: c.name, text: c.svg + "\n" })),
        { name: "transcript.txt", text: transcript.join("\n") },
      ];
      for (const f of files) fs.writeFileSync(path.join(out, f.name), f.text);
      if (args.json) return printJson(report);

      const here = (file: string) => path.relative(process.cwd(), file);
      console.log(
        formatDemo({
          scenarioFile: here(loaded.file),
          description: loaded.demo.description,
          contracts,
          roster: roster.map((member) => ({
            member,
            address: runner.member(member.id).address,
            meterDevice: runner.member(member.id).meter.address,
          })),
          report,
          files: files.map((f) => here(path.join(out, f.name))),
          seconds: (performance.now() - started) / 1000,
        }),
      );
    }),
  );
