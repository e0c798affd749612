import hre from "hardhat";
import { onboard, type Member } from "../../helpers/world";

/**
 * Onboarding for anvil.test.ts in ONE process (register, approve, mint, deposit through the same tasks,
 * one after the other): 4 members x 4 tasks as separate processes would cost a minute of start-ups.
 *   node node_modules/hardhat/internal/cli/bootstrap.js run --no-compile test/integration/anvil/onboard.ts --network anvil
 * The members are the test's: sellers at accounts 1 and 2, buyers at 3 and 4, their meter devices at 11..14.
 * `hardhat test` loads every file under test/, so nothing runs unless this file is the script being run.
 */
export const ANVIL_MEMBERS: readonly Member[] = [
  { name: "S1", account: 1, meter: 11 },
  { name: "S2", account: 2, meter: 12 },
  { name: "B1", account: 3, meter: 13, source: "none" },
  { name: "B2", account: 4, meter: 14, source: "none" },
];

if (require.main === module) {
  onboard(hre, ANVIL_MEMBERS).then(
    () => console.log(`onboarded ${ANVIL_MEMBERS.length} members on chain ${hre.network.config.chainId}`),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
