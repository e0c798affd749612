import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { deployGreenGrid } from "../../deploy/deployGreenGrid";
import { latestTimestamp } from "../../src/chain/demo/clock";
import { readAuctionPeriod, readLedger, readReputation } from "../../src/chain/demo/readers";
import { clearStaleDeployment, deployedAddress } from "../../src/chain/deployments";
import type { Progress } from "../../src/cli/progress";
import { buildDemoReport, deliveryDraws, requestPlan, type DemoReport, type RosterMember } from "../../src/core/demo";
import { runAuctionHour } from "./auction";
import { runReputationCycle } from "./cycles";
import { deliverAndSettle, tradesOf } from "./deliveries";
import type { LoadedDemo } from "./files";
import { onboard } from "./onboard";
import { createRunner, type DemoRunner } from "./runner";

const DAY = 86_400n;

export interface TradingDay {
  readonly runner: DemoRunner;
  readonly contracts: Readonly<Record<string, string>>;
  readonly report: DemoReport;
}

/**
 * The whole demo on the current chain: deploy, onboard `roster` (buildRoster of the scenario), the auction
 * hours, delivery and settlement of their trades, the reputation cycles; then the report, read back from
 * the chain. Every task run is appended to `transcript` as it happens.
 */
export async function runTradingDay(
  hre: HardhatRuntimeEnvironment,
  { demo, hours }: LoadedDemo,
  roster: readonly RosterMember[],
  progress: Progress,
  transcript: string[],
): Promise<TradingDay> {
  const rep = demo.reputation;

  progress.update("deploying through Ignition");
  await clearStaleDeployment(hre);
  const deployed = await deployGreenGrid(hre, { Matching: { alphaWad: rep.alphaWad } });
  const contracts: Record<string, string> = {};
  for (const [key, contract] of Object.entries(deployed)) contracts[key] = await contract.getAddress();

  const runner = await createRunner(hre, roster, progress, transcript);
  await onboard(runner, roster, demo.funding);

  // the trading day starts at the first midnight at least an hour away, so every hour is still ahead
  const now = await latestTimestamp(hre);
  const dayStart = ((now + 3600n + DAY - 1n) / DAY) * DAY;
  const periods: bigint[] = [];
  for (const h of hours) periods.push(await runAuctionHour(runner, h.hour, h.scenario, dayStart));

  progress.update("auction trades: metering and settlement");
  const auction = await deployedAddress(hre, "auction");
  const auctionTrades = (await Promise.all(periods.map((p) => tradesOf(runner, auction, p)))).flat();
  await deliverAndSettle(runner, auctionTrades, (t) => ({ providerWh: t.energyWh, userWh: t.energyWh }));

  const requests = requestPlan(rep);
  const draws = deliveryDraws(rep);
  const cycles: bigint[] = [];
  for (let c = 0; c < rep.cycles; c++) {
    cycles.push(await runReputationCycle(runner, rep, requests[c], draws, `reputation cycle ${c + 1}/${rep.cycles}`));
  }

  progress.update("reading the report back from the chain");
  const addressOf = (id: string) => runner.member(id).address;
  const [periodFacts, reputationFacts, ledger] = await Promise.all([
    Promise.all(periods.map((p) => readAuctionPeriod(hre, p))),
    readReputation(
      hre,
      cycles,
      rep.providers.map((p) => addressOf(p.id)),
    ),
    readLedger(
      hre,
      roster.map((m) => addressOf(m.id)),
    ),
  ]);
  const report = buildDemoReport({
    names: runner.names,
    hours: hours.map((h, i) => ({
      hour: h.hour,
      facts: periodFacts[i],
      socBefore: new Map(h.scenario.participants.map((p) => [p.id, p.soc])),
    })),
    reputation: {
      seed: rep.seed,
      cycleIds: cycles,
      providers: rep.providers.map((p) => ({ id: p.id, behaviour: p.behaviour, address: addressOf(p.id) })),
      facts: reputationFacts,
    },
    ledger,
  });
  return { runner, contracts, report };
}
