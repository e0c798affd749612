import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import hre from "hardhat";
import { freePort } from "./anvil/node";

/**
 * Test-net readiness without a test net: the Hardhat config loads with and without the Sepolia variables
 * (given as HARDHAT_VAR_* environment variables, which vars.has/vars.get read besides the vars file), and
 * tasks on `--network sepolia` fail with a clear message either way. Nothing but a closed loopback port is
 * ever contacted. Each case is a fresh process with its own empty Hardhat vars folder (XDG_CONFIG_HOME), so a
 * developer's `npx hardhat vars set` values play no part.
 */
const ROOT = hre.config.paths.root;
const HARDHAT_CLI = require.resolve("hardhat/internal/cli/bootstrap.js");
const DUMMY_KEY = `0x${"11".repeat(32)}`; // a valid private key nobody uses

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

describe("network configuration: sepolia with and without its variables, anvil, localhost", function () {
  this.timeout(60_000);
  let home: string;
  let closedUrl: string;

  before(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "greengrid-vars-"));
    closedUrl = `http://127.0.0.1:${await freePort()}`;
  });

  after(() => fs.rmSync(home, { recursive: true, force: true }));

  function run(args: readonly string[], vars: Record<string, string>): Promise<Result> {
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_CONFIG_HOME: home };
    for (const key of Object.keys(env)) {
      if (key.startsWith("HARDHAT_VAR_") || ["HARDHAT_NETWORK", "ANVIL_RPC_URL", "ANVIL_CHAIN_ID"].includes(key)) {
        delete env[key];
      }
    }
    for (const [name, value] of Object.entries(vars)) env[`HARDHAT_VAR_${name}`] = value;
    return new Promise((resolve) => {
      execFile(process.execPath, args, { cwd: ROOT, env, timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  /** The resolved network configs as a process loading hardhat.config.ts sees them. */
  async function networks(vars: Record<string, string>): Promise<Record<string, Record<string, unknown>>> {
    const script =
      "const hre = require('hardhat'); const n = hre.config.networks; " +
      "console.log(JSON.stringify(Object.fromEntries(Object.entries(n).map(([k, v]) => " +
      "[k, { url: v.url, chainId: v.chainId, accounts: Array.isArray(v.accounts) ? v.accounts.length : typeof v.accounts }]))))";
    // outside the CLI, requiring hardhat loads hardhat.config.ts only with ts-node registered
    const result = await run(["-r", "ts-node/register/transpile-only", "-e", script], vars);
    expect(result.code, result.stderr).to.equal(0);
    return JSON.parse(result.stdout.trim().split("\n").pop()!) as Record<string, Record<string, unknown>>;
  }

  it("without SEPOLIA_RPC_URL and DEPLOYER_PRIVATE_KEY the config loads, with no sepolia network", async () => {
    const loaded = await networks({});
    expect(Object.keys(loaded)).to.include.members(["hardhat", "localhost", "anvil"]).and.not.include("sepolia");
    expect(loaded.anvil).to.include({ url: "http://127.0.0.1:8546", chainId: 31338 });
    // one of the two is not enough
    expect(Object.keys(await networks({ SEPOLIA_RPC_URL: closedUrl }))).to.not.include("sepolia");
  });

  it("with both (as HARDHAT_VAR_* environment variables) sepolia is configured with the one deployer key", async () => {
    const loaded = await networks({ SEPOLIA_RPC_URL: closedUrl, DEPLOYER_PRIVATE_KEY: DUMMY_KEY });
    expect(loaded.sepolia).to.deep.equal({ url: closedUrl, chainId: 11155111, accounts: 1 });
  });

  it("a task on --network sepolia without the variables says what to set", async () => {
    const result = await run([HARDHAT_CLI, "registry:regions", "--network", "sepolia"], {});
    expect(result.code).to.not.equal(0);
    expect(result.stderr).to.match(
      /network "sepolia" is not configured: SEPOLIA_RPC_URL and DEPLOYER_PRIVATE_KEY not set\. Set them with npx hardhat vars set <NAME>, or as HARDHAT_VAR_<NAME>/,
    );
    expect(result.stderr).to.match(/HH100: Network sepolia doesn't exist/);
  });

  it("the demo refuses sepolia before it connects: it mints test tokens and moves time", async () => {
    const result = await run([HARDHAT_CLI, "demo", "--network", "sepolia"], {
      SEPOLIA_RPC_URL: closedUrl,
      DEPLOYER_PRIVATE_KEY: DUMMY_KEY,
    });
    expect(result.code).to.not.equal(0);
    expect(result.stderr).to.match(/demo runs on local chains only .*Network "sepolia" is chain 11155111/s);
  });

  it("a task on --network sepolia with an unreachable node fails cleanly, sending nothing", async () => {
    const result = await run([HARDHAT_CLI, "registry:regions", "--network", "sepolia"], {
      SEPOLIA_RPC_URL: closedUrl,
      DEPLOYER_PRIVATE_KEY: DUMMY_KEY,
    });
    expect(result.code).to.not.equal(0);
    expect(result.stderr + result.stdout).to.match(/Cannot connect to the network sepolia/);
    expect(result.stderr).to.not.match(/not configured/);
  });
});
