import fs from "node:fs";
import hre from "hardhat";
import { expect } from "chai";
import { setBalance } from "@nomicfoundation/hardhat-network-helpers";
import { forgetDeployment } from "../../src/chain/deployments";
import { ENUM_LABELS } from "../../src/chain/enums";
import { isCliAction } from "../../src/cli/task";
import { GARBLED, HEX_BLOB, isPersonFacing, runArgv } from "./malformed/cli";
import type { MalformedCase } from "./malformed/cases";
import { loadMarket, writeFiles, type Files } from "./malformed/world";
import { REGISTRY_CASES } from "./malformed/registry.cases";
import { ESCROW_CASES } from "./malformed/escrow.cases";
import { METERING_CASES } from "./malformed/metering.cases";
import { CERTIFICATE_CASES } from "./malformed/certificates.cases";
import { AUCTION_CASES } from "./malformed/auction.cases";
import { MATCHING_CASES } from "./malformed/matching.cases";
import { DEMO_CASES } from "./malformed/demo.cases";

const CASES: readonly MalformedCase[] = [
  ...REGISTRY_CASES,
  ...ESCROW_CASES,
  ...METERING_CASES,
  ...CERTIFICATE_CASES,
  ...AUCTION_CASES,
  ...MATCHING_CASES,
  ...DEMO_CASES,
];
const MIN_CASES_PER_TASK = 10;

/** The command line as a person reads it; files appear by their name in the temporary folder. */
function commandLine(c: MalformedCase): string {
  const argv = typeof c.argv === "function" ? c.argv({ dir: "<tmp>", at: (name) => `<${name}>` }) : c.argv;
  const words = argv.map((w) =>
    w === "" || /\s/.test(w) ? JSON.stringify(w) : w.length > 44 ? `${w.slice(0, 41)}...` : w,
  );
  const note = c.undeployed ? "   (nothing deployed)" : c.noGas ? `   (no ether on account ${c.noGas.join(", ")})` : "";
  return [c.task, ...words].join(" ") + note;
}

/** Every account's nonce, pending transactions included, and the block number: what sending anything changes. */
async function chainMarks(): Promise<{ nonces: number[]; block: number }> {
  const signers = await hre.ethers.getSigners();
  const nonces = await Promise.all(signers.map((s) => hre.ethers.provider.getTransactionCount(s.address, "pending")));
  return { nonces, block: await hre.ethers.provider.getBlockNumber() };
}

describe("malformed invocations of every task: a clear refusal, nothing sent", function () {
  this.timeout(600_000);
  let files: Files;
  const started = Date.now();

  before(async () => {
    files = await writeFiles(await loadMarket());
  });
  after(() => fs.rmSync(files.dir, { recursive: true, force: true }));

  for (const c of CASES) {
    it(commandLine(c), async () => {
      await loadMarket();
      const chainId = (await hre.ethers.provider.getNetwork()).chainId;
      const argv = typeof c.argv === "function" ? c.argv(files) : c.argv;
      const signers = await hre.ethers.getSigners();
      for (const i of c.noGas ?? []) await setBalance(signers[i].address, 0);
      const before = await chainMarks();
      if (c.undeployed) forgetDeployment(chainId);
      let error: unknown;
      let printed = "";
      try {
        printed = await runArgv(hre, c.task, argv);
      } catch (e) {
        error = e;
      } finally {
        if (c.undeployed) await loadMarket();
      }
      expect(error, `the task should refuse; it printed:\n${printed}`).to.not.equal(undefined);
      const message = error instanceof Error ? error.message : String(error);
      expect(
        isPersonFacing(error),
        `a crash, not a message for a person:\n${(error as Error)?.stack ?? message}`,
      ).to.equal(true);
      expect(message, `the message was: ${message}`).to.match(c.message);
      expect(message, `raw hex in: ${message}`).to.not.match(HEX_BLOB);
      expect(message, `garbled: ${message}`).to.not.match(GARBLED);
      const [, ...more] = message.split("\n");
      expect(
        more.filter((line) => !line.startsWith("  - ")),
        `one line, or one problem a line: ${message}`,
      ).to.deep.equal([]);
      expect(await chainMarks(), "no account's nonce and no block changed: nothing was sent").to.deep.equal(before);
    });
  }

  it(`every task of the project has at least ${MIN_CASES_PER_TASK} malformed invocations`, () => {
    const projectTasks = Object.values(hre.tasks)
      .filter((t) => !t.isSubtask && isCliAction(t.action))
      .map((t) => t.name)
      .sort();
    const counts = new Map(projectTasks.map((t) => [t, 0]));
    for (const c of CASES) {
      expect(counts.has(c.task), `${c.task} is not a task of the project`).to.equal(true);
      counts.set(c.task, counts.get(c.task)! + 1);
    }
    const few = [...counts].filter(([, n]) => n < MIN_CASES_PER_TASK).map(([t, n]) => `${t} (${n})`);
    const fewest = Math.min(...counts.values());
    const atFewest = [...counts].filter(([, n]) => n === fewest).map(([t]) => t);
    console.log(
      `      malformed invocations: ${projectTasks.length} tasks, ${CASES.length} cases ` +
        `(fewest per task ${fewest}: ${atFewest.join(", ")}), ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(few, `tasks with fewer than ${MIN_CASES_PER_TASK} cases`).to.deep.equal([]);
  });

  it("every enum argument of a custom error is decoded by its member names", async () => {
    const missing = new Set<string>();
    for (const name of await hre.artifacts.getAllFullyQualifiedNames()) {
      for (const item of (await hre.artifacts.readArtifact(name)).abi) {
        if (item.type !== "error") continue;
        for (const input of item.inputs ?? []) {
          const type = String(input.internalType ?? "");
          if (type.startsWith("enum ") && !ENUM_LABELS[type]) missing.add(`${type} (in ${item.name})`);
        }
      }
    }
    expect([...missing]).to.deep.equal([]);
  });

  it("every task that is not the project's is one of Hardhat's or its plugins'", () => {
    const foreign = Object.values(hre.tasks)
      .filter((t) => !t.isSubtask && !isCliAction(t.action))
      .map((t) => t.name);
    // a project task that bypasses cliAction would show up here and escape the count above
    const HARDHAT_TASKS = [
      "check",
      "clean",
      "compile",
      "console",
      "coverage",
      "flatten",
      "gas-reporter:merge",
      "help",
      "hhgas:merge",
      "node",
      "run",
      "test",
      "typechain",
      "verify",
    ];
    expect(foreign.filter((t) => !HARDHAT_TASKS.includes(t))).to.deep.equal([]);
  });
});
