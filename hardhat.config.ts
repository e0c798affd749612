import path from "node:path";
import { subtask, vars, type HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, TASK_TEST_GET_TEST_FILES } from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import "./tasks";

/**
 * The compiler comes from the npm package `solc` (pinned in package.json), never from a
 * download: builds must work offline and reproduce bit for bit.
 */
const SOLC_VERSION = "0.8.28";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  if (args.solcVersion !== SOLC_VERSION) {
    throw new Error(
      `Solidity ${args.solcVersion} was requested, but this project compiles only with the ` +
        `npm package solc@${SOLC_VERSION}. Set the pragma or hardhat.config.ts to ${SOLC_VERSION}.`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  const longVersion = solc.version();
  if (!longVersion.startsWith(SOLC_VERSION)) {
    throw new Error(`node_modules/solc is ${longVersion}, expected ${SOLC_VERSION}: run npm ci.`);
  }
  return {
    compilerPath: path.join(path.dirname(require.resolve("solc/package.json")), "soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion,
  };
});

/**
 * `hardhat coverage --testfiles <glob>` hands the files over in file-system order; run them in the sorted order
 * `hardhat test` uses, so both runs meet the same sequence of fixtures and chain time.
 */
subtask(TASK_TEST_GET_TEST_FILES, async (args: { testFiles: string[] }, _hre, runSuper) => {
  const files = (await runSuper(args)) as string[];
  return [...files].sort();
});

/**
 * Sepolia is configured only when both variables are set: `npx hardhat vars set SEPOLIA_RPC_URL` (kept in the
 * user's Hardhat folder, never in the repository), or HARDHAT_VAR_SEPOLIA_RPC_URL in the environment.
 */
const SEPOLIA_VARS = ["SEPOLIA_RPC_URL", "DEPLOYER_PRIVATE_KEY"];
const missingSepoliaVars = SEPOLIA_VARS.filter((name) => !vars.has(name));
const networkArg = process.argv.indexOf("--network");
const requestedNetwork = networkArg >= 0 ? process.argv[networkArg + 1] : process.env.HARDHAT_NETWORK;
if (requestedNetwork === "sepolia" && missingSepoliaVars.length > 0) {
  // Hardhat then stops with "HH100: Network sepolia doesn't exist"; say why first
  console.error(
    `network "sepolia" is not configured: ${missingSepoliaVars.join(" and ")} not set. ` +
      `Set them with npx hardhat vars set <NAME>, or as HARDHAT_VAR_<NAME> in the environment.`,
  );
}
const sepolia =
  missingSepoliaVars.length === 0
    ? {
        sepolia: {
          url: vars.get("SEPOLIA_RPC_URL"),
          accounts: [vars.get("DEPLOYER_PRIVATE_KEY")],
          chainId: 11155111,
        },
      }
    : {};

const config: HardhatUserConfig = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      viaIR: false,
    },
  },
  defaultNetwork: "hardhat",
  networks: {
    hardhat: {},
    localhost: { url: process.env.LOCAL_RPC_URL ?? "http://127.0.0.1:8545" },
    // anvil --chain-id 31338 --port 8546 --accounts 20: its own chain id, so its deployment record
    // (deploy/deployments/chain-31338/) never mixes with a Hardhat node's on localhost (chain-31337).
    anvil: {
      url: process.env.ANVIL_RPC_URL ?? "http://127.0.0.1:8546",
      chainId: Number(process.env.ANVIL_CHAIN_ID ?? 31338),
    },
    ...sepolia,
  },
  paths: {
    sources: "contracts",
    tests: "test",
    ignition: "deploy",
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: process.env.REPORT_GAS === "true", offline: true, currency: "EUR" },
  // MOCHA_TIMEOUT: coverage's instrumented runs are several times slower (npm run coverage:gate).
  mocha: { timeout: Number(process.env.MOCHA_TIMEOUT ?? 120_000) },
};

export default config;
