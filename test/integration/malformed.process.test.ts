import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { HEX_BLOB } from "./malformed/cli";
import { freePort } from "./anvil/node";

/**
 * A few malformed invocations as real `npx hardhat ...` processes (each costs seconds, the in-process table in
 * malformed.tasks.test.ts covers the rest): the exit code, what reaches stderr, and that no stack trace does.
 * The project's refusals are checked on this machine as it is, without a display, where Hardhat would print a
 * stack trace under any error it handles itself; Hardhat's own argument and network errors are checked as a
 * person's terminal shows them (a display, no CI variables), since Hardhat decides that, not the project.
 */
const ROOT = hre.config.paths.root;
const HARDHAT_CLI = require.resolve("hardhat/internal/cli/bootstrap.js");
const PARALLEL = 2; // the machine has two cores

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

interface ProcessCase {
  /** The words after `npx hardhat`; `{dir}` is the run's temporary folder. */
  readonly argv: readonly string[];
  readonly stderr: RegExp;
  /** Hardhat's own error, seen as in a person's terminal: its message line and its "For more info" hint. */
  readonly hardhat?: boolean;
  readonly env?: Readonly<Record<string, string>>;
}

function run(c: ProcessCase, dir: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...c.env };
  for (const key of ["HARDHAT_NETWORK", "ANVIL_RPC_URL", "ANVIL_CHAIN_ID"]) delete env[key];
  if (c.hardhat) {
    for (const key of ["CI", "CONTINUOUS_INTEGRATION", "BUILD_NUMBER", "RUN_ID", "GITHUB_ACTIONS"]) delete env[key];
    env.DISPLAY = ":0"; // only read by Hardhat's "is this a CI server" check; nothing connects to it
  }
  const argv = c.argv.map((w) => w.replace("{dir}", dir));
  return new Promise((resolve) => {
    execFile(process.execPath, [HARDHAT_CLI, ...argv], { cwd: ROOT, env, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("malformed invocations as real processes: exit code 1, one line on stderr, no stack trace", function () {
  this.timeout(600_000);
  let dir: string;
  const cases: { name: string; c: ProcessCase }[] = [];
  const results = new Map<string, Run>();

  function refuse(name: string, c: ProcessCase): void {
    cases.push({ name, c });
  }

  refuse("registry: a garbage number", {
    argv: [
      "registry:register",
      "--name",
      "A",
      "--meter-id",
      "M",
      "--device",
      "5",
      "--region",
      "1",
      "--voltage",
      "low",
      "--source",
      "solar",
      "--capacity-w",
      "lots",
    ],
    stderr: /^Error: registry:register: invalid arguments: --capacity-w must be a whole number \(got "lots"\)$/,
  });
  refuse("escrow: an amount that is no amount", {
    argv: ["escrow:deposit", "--amount", "12,50"],
    stderr:
      /^Error: escrow:deposit: invalid arguments: --amount must be a decimal amount such as 12\.5 \(got "12,50"\)$/,
  });
  refuse("not deployed: the in-process network starts empty", {
    argv: ["registry:list"],
    stderr: /^Error: Nothing is deployed on network "hardhat" \(chain 31337\)\. The in-process network starts empty/,
  });
  refuse("wrong network: nothing listens at the node's address", {
    argv: ["escrow:balance", "--network", "localhost"],
    stderr: /^Error: HH108: Cannot connect to the network localhost\. Please make sure your node is running/,
    env: { LOCAL_RPC_URL: "http://127.0.0.1:{port}" },
  });
  refuse("wrong network: no such network", {
    argv: ["registry:regions", "--network", "mainnet"],
    stderr: /^Error HH100: Network mainnet doesn't exist$/,
    hardhat: true,
  });
  refuse("auction: a required flag left out", {
    argv: ["auction:ask", "--period", "1", "--price", "0.50"],
    stderr: /^Error HH306: The '--energy-wh' parameter of task 'auction:ask' expects a value, but none was passed\.$/,
    hardhat: true,
  });
  refuse("metering: a reading file that does not exist", {
    argv: ["meter:submit", "--file", "{dir}/missing.json"],
    stderr: /^Error: meter:submit: --file .*missing\.json does not exist\. Nothing was sent\.$/,
  });
  refuse("matching: a folder given as the instance file", {
    argv: ["match:solve", "--gap-file", "{dir}"],
    stderr: /^Error: match:solve: --gap-file .* is a folder, not a file$/,
  });
  refuse("certificates: a vintage that is no number", {
    argv: ["cert:retire", "--vintage", "last", "--amount-wh", "1", "--beneficiary", "Bakery"],
    stderr: /^Error: cert:retire: invalid arguments: --vintage must be a whole number \(got "last"\)$/,
  });
  refuse("demo: an output folder that is a file", {
    argv: ["demo", "--out", "{dir}/broken.json"],
    stderr: /^Error: demo: --out .*broken\.json is a file, not a folder$/,
  });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "greengrid-malformed-cli-"));
    fs.writeFileSync(path.join(dir, "broken.json"), '{ "tick": ');
    const port = String(await freePort());
    const queue = cases.map(({ name, c }) => ({
      name,
      c: c.env
        ? { ...c, env: Object.fromEntries(Object.entries(c.env).map(([k, v]) => [k, v.replace("{port}", port)])) }
        : c,
    }));
    // a few at a time: each process loads Hardhat and the config on its own
    const started = Date.now();
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) results.set(next.name, await run(next.c, dir));
      }),
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `      malformed invocations as processes: ${cases.length} cases, ${seconds} s (${PARALLEL} at a time)`,
    );
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const { name, c } of cases) {
    it(`${name}: npx hardhat ${c.argv.join(" ")}`, () => {
      const r = results.get(name)!;
      const lines = r.stderr.split("\n").filter((l) => l.trim() !== "");
      const shown = `exit ${r.code}\nstderr:\n${r.stderr}\nstdout:\n${r.stdout}`;
      expect(r.code, shown).to.equal(1);
      expect(r.stderr, `a stack trace:\n${shown}`).to.not.match(/^\s+at .+\(?.+:\d+:\d+\)?$/m);
      expect(r.stderr, shown).to.not.match(HEX_BLOB);
      expect(lines[0], shown).to.match(c.stderr);
      if (c.hardhat) {
        expect(lines.slice(1), `only Hardhat's hint after the message:\n${shown}`).to.have.length(1);
        expect(lines[1], shown).to.match(
          /^For more info go to https:\/\/v2\.hardhat\.org\/HH\d+ or run Hardhat with --show-stack-traces$/,
        );
      } else {
        expect(lines, `one line on stderr:\n${shown}`).to.have.length(1);
      }
      expect(r.stdout.trim(), shown).to.equal("");
    });
  }
});
