import { formatUnits } from "../../src/cli/args";
import { latestTimestamp } from "../../src/chain/demo/clock";
import type { Scenario } from "../../src/core/auction";
import { eventArg, type DemoRunner } from "./runner";

const HOUR = 3600n;

/**
 * One trading period of paper A through the on-chain auction, as the participants run it: the operator
 * opens the period for hour `hour` of the trading day starting at `dayStart`; every seller asks and every
 * buyer bids its reservation price (signing its own order); auction:nash --post then runs the off-chain
 * Nash iteration on the book, sends each round's revisions signed by their participants, closes the rounds
 * and finalizes the period into escrow trades. Returns the period id.
 */
export async function runAuctionHour(
  runner: DemoRunner,
  hour: number,
  scenario: Scenario,
  dayStart: bigint,
): Promise<bigint> {
  const deliveryStart = dayStart + BigInt(hour - 1) * HOUR;
  const now = await latestTimestamp(runner.hre);
  if (deliveryStart <= now) throw new Error(`demo: hour ${hour} of the trading day has already begun`);
  runner.progress.update(`auction hour ${hour}: opening`);
  const opened = await runner.runJson("auction:open", {
    tick: formatUnits(scenario.tick),
    feedIn: formatUnits(scenario.feedInTariff),
    retail: formatUnits(scenario.retailTariff),
    deliveryIn: String(deliveryStart - now),
    deliveryHours: "1",
  });
  const period = eventArg(opened, "PeriodOpened", "periodId");
  for (const [i, p] of scenario.participants.entries()) {
    runner.progress.update(`auction hour ${hour}: orders`, i + 1, scenario.participants.length);
    await runner.run(p.side === "seller" ? "auction:ask" : "auction:bid", {
      from: String(runner.member(p.id).account),
      period,
      energyWh: String(p.energyWh),
      price: formatUnits(p.reservation),
    });
  }
  runner.progress.update(`auction hour ${hour}: Nash iteration on chain`);
  await runner.run("auction:nash", { period, post: true });
  return BigInt(period);
}
