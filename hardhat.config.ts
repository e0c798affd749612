import path from "node:path";
import { subtask, vars, type HardhatUserConfig } from "hardhat/config";
import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
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

/** Sepolia is configured only when both variables are set: `npx hardhat vars set SEPOLIA_RPC_URL`. */
const sepolia =
  vars.has("SEPOLIA_RPC_URL") && vars.has("DEPLOYER_PRIVATE_KEY")
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
  mocha: { timeout: 120_000 },
};

export default config;
