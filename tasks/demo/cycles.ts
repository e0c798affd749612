import { formatUnits } from "../../src/cli/args";
import { advanceTo } from "../../src/chain/demo/clock";
import { deployedAddress } from "../../src/chain/deployments";
import { matchingAt } from "../../src/chain/matching";
import type { DeliveryDraws, DemoReputation } from "../../src/core/demo";
import { deliverAndSettle, tradesOf } from "./deliveries";
import { eventArg, type DemoRunner } from "./runner";

/**
 * One of paper B's cycles through the tasks: the operator opens it; every provider offers its price and
 * capacity and every user requests its energy (each signing its own posting); after the posting window
 * branch-and-bound solves the assignment, the contract verifies it (match:solve --post); after the
 * submission window finalize creates the trades; the meters report what was really delivered (the
 * providers' behaviours, drawn by `draws`), the trades settle, and reputation:update applies the cycle.
 * Returns the cycle id.
 */
export async function runReputationCycle(
  runner: DemoRunner,
  settings: DemoReputation,
  requestsWh: readonly bigint[],
  draws: DeliveryDraws,
  label: string,
): Promise<bigint> {
  const step = (what: string) => runner.progress.update(`${label}: ${what}`);
  step("posting");
  const opened = await runner.runJson("match:open", {
    postingMinutes: "15",
    submissionMinutes: "15",
    deliveryHours: "1",
  });
  const cycle = eventArg(opened, "CycleOpened", "cycleId");
  for (const p of settings.providers) {
    await runner.run("match:offer", {
      from: String(runner.member(p.id).account),
      cycle,
      price: formatUnits(p.pricePerKwh),
      capacityWh: String(p.capacityWh),
    });
  }
  for (const [i, user] of settings.users.entries()) {
    await runner.run("match:request", {
      from: String(runner.member(user).account),
      cycle,
      energyWh: String(requestsWh[i]),
      maxPrice: formatUnits(settings.maxPricePerKwh),
    });
  }

  const matching = await matchingAt(runner.hre);
  const params = await matching.params(cycle);
  await advanceTo(runner.hre, params.postingEnds);
  step("branch-and-bound, verified on chain");
  await runner.run("match:solve", { cycle, post: true });
  await advanceTo(runner.hre, params.submissionEnds);
  await runner.run("match:finalize", { cycle });

  step("metering and settlement");
  const trades = await tradesOf(runner, await deployedAddress(runner.hre, "matching"), BigInt(cycle));
  const provider = (address: string) => runner.names.get(address.toLowerCase())!;
  await deliverAndSettle(runner, trades, (t) => {
    const delivered = draws.deliveredWh(provider(t.seller), t.energyWh);
    return { providerWh: delivered, userWh: delivered };
  });
  step("reputation update");
  await runner.run("reputation:update", { cycle });
  return BigInt(cycle);
}
