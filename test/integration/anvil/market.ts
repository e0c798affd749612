import hre from "hardhat";
import { deployGreenGrid } from "../../../deploy/deployGreenGrid";
import { onboard, runTask } from "../../helpers/world";
import { ANVIL_MEMBERS } from "./onboard";

/**
 * The market of crash.test.ts set up in ONE process (a separate process per step would cost minutes of
 * start-ups; the steps under test run as their own processes):
 *   node node_modules/hardhat/internal/cli/bootstrap.js run --no-compile test/integration/anvil/market.ts --network anvil
 * Ignition deploys and writes the deployment record; the 4 members of onboard.ts register, are approved and
 * deposit 100 each; account 0 funds the reward pool; periods 1 and 2 get the same book (2 asks, 2 bids: a
 * buyer's market, 15 kWh offered, 10 wanted), and period 2 is closed twice without revisions, so it is cleared
 * at its round-1 price and waits for finalize. Period 1 is left in round 1 for auction:nash --post.
 */
export const REWARD_FUND = "20";

export const BOOK: readonly { side: "ask" | "bid"; from: string; energyWh: string; price: string }[] = [
  { side: "ask", from: "1", energyWh: "12000", price: "0.50" },
  { side: "ask", from: "2", energyWh: "3000", price: "0.40" },
  { side: "bid", from: "3", energyWh: "6000", price: "1.00" },
  { side: "bid", from: "4", energyWh: "4000", price: "0.95" },
];

async function setUp(): Promise<void> {
  // anvil mines each transaction at once: Ignition's default (a poll every second, 5 confirmations) only waits
  await deployGreenGrid(hre, {}, { blockPollingInterval: 50, requiredConfirmations: 1 });
  await onboard(hre, ANVIL_MEMBERS);
  await runTask(hre, "token:mint", { to: "0", amount: REWARD_FUND });
  await runTask(hre, "reward:fund", { amount: REWARD_FUND });
  for (const period of ["1", "2"]) {
    await runTask(hre, "auction:open", {});
    for (const order of BOOK) {
      await runTask(hre, `auction:${order.side}`, {
        from: order.from,
        period,
        energyWh: order.energyWh,
        price: order.price,
      });
    }
  }
  await runTask(hre, "auction:close-round", { period: "2" });
  await runTask(hre, "auction:close-round", { period: "2" });
}

if (require.main === module) {
  setUp().then(
    () => console.log(`market ready on chain ${hre.network.config.chainId}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
