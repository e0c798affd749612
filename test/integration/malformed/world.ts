import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import hre from "hardhat";
import { loadFixture, time } from "@nomicfoundation/hardhat-network-helpers";
import type { EnergyEscrow, ReputationMatching, DoubleAuction } from "../../../typechain-types";
import { deployGreenGrid } from "../../../deploy/deployGreenGrid";
import { CONTRACT_IDS, rememberDeployment, type ContractKey } from "../../../src/chain/deployments";
import { signReading } from "../../../src/chain/escrow";
import { toReadingFile } from "../../../src/core/meter";
import { MARKET_ROLE, openTrade } from "../../helpers/escrowFixtures";
import { runTask } from "../../helpers/world";

/**
 * One market in which every state a malformed invocation can meet exists at once, so each case runs against
 * the same snapshot:
 * - accounts: 0 operator (admin, regulator, minter), 1 seller S and 2 buyer B (approved, 50 gEUR in the escrow,
 *   50 in the wallet), 3 pending, 4 suspended, 5 a stranger (unregistered, no tokens), 6 approved without any
 *   money; meter devices are the accounts 11, 12, 13, 14 and 16; 19 is a market allowed to open escrow trades.
 * - trades: 1 settled, 2 open before its delivery.
 * - auction: period 1 Cleared (not finalized), period 2 Open in round 1 with an ask of S and a bid of B.
 * - matching: cycle 1 Finalizing, cycle 2 in its Submission window, cycle 3 Posting; S offers, B requests in each.
 */
export const ACCOUNTS = {
  operator: "0",
  seller: "1",
  buyer: "2",
  pending: "3",
  suspended: "4",
  stranger: "5",
  broke: "6",
  market: 19,
} as const;
export const DEVICES = { seller: "11", buyer: "12", pending: "13", suspended: "14", broke: "16" } as const;

export const IDS = {
  settledTrade: "1",
  openTrade: "2",
  clearedPeriod: "1",
  openPeriod: "2",
  finalizingCycle: "1",
  submissionCycle: "2",
  postingCycle: "3",
} as const;

async function register(account: string, device: string, name: string, source: string): Promise<void> {
  await runTask(hre, "registry:register", {
    from: account,
    name,
    meterId: `MTR-${name}`,
    device,
    region: "1",
    voltage: "low",
    source,
    capacityW: "10000",
    batteryWh: "0",
  });
}

async function marketFixture() {
  const deployed = await deployGreenGrid(hre);
  const signers = await hre.ethers.getSigners();
  const escrow = deployed.escrow as unknown as EnergyEscrow;
  const auction = deployed.auction as unknown as DoubleAuction;
  const matching = deployed.matching as unknown as ReputationMatching;

  await register(ACCOUNTS.seller, DEVICES.seller, "Seller", "solar");
  await register(ACCOUNTS.buyer, DEVICES.buyer, "Buyer", "none");
  await register(ACCOUNTS.pending, DEVICES.pending, "Pending", "wind");
  await register(ACCOUNTS.suspended, DEVICES.suspended, "Suspended", "solar");
  await register(ACCOUNTS.broke, DEVICES.broke, "Broke", "none");
  for (const a of [ACCOUNTS.seller, ACCOUNTS.buyer, ACCOUNTS.suspended, ACCOUNTS.broke])
    await runTask(hre, "registry:approve", { account: a });
  await runTask(hre, "registry:suspend", { account: ACCOUNTS.suspended, reason: "7" });
  for (const a of [ACCOUNTS.seller, ACCOUNTS.buyer]) {
    await runTask(hre, "token:mint", { to: a, amount: "100" });
    await runTask(hre, "escrow:deposit", { from: a, amount: "50" });
  }
  await runTask(hre, "token:mint", { to: ACCOUNTS.operator, amount: "20" });
  await runTask(hre, "reward:fund", { amount: "10" });
  const market = signers[ACCOUNTS.market];
  await escrow.connect(signers[0]).grantRole(MARKET_ROLE, market.address);
  const seller = signers[Number(ACCOUNTS.seller)].address;
  const buyer = signers[Number(ACCOUNTS.buyer)].address;

  // trade 1: delivered nothing, settled by anyone after its deadline
  await openTrade(escrow, market, seller, buyer, { startIn: 10, duration: 60, grace: 60 });
  await time.increase(200);
  await escrow.settle(1n);

  // cycle 1: past both windows
  await runTask(hre, "match:open", { postingMinutes: "1", submissionMinutes: "1" });
  await runTask(hre, "match:offer", { from: ACCOUNTS.seller, cycle: "1", price: "0.60", capacityWh: "5000" });
  await runTask(hre, "match:request", { from: ACCOUNTS.buyer, cycle: "1", energyWh: "2000", maxPrice: "0.80" });
  await time.increase(3 * 60);

  // period 1: rounds closed until the auction ends
  await runTask(hre, "auction:open", { roundDuration: "60", maxRounds: "2" });
  await runTask(hre, "auction:ask", { from: ACCOUNTS.seller, period: "1", energyWh: "5000", price: "0.50" });
  await runTask(hre, "auction:bid", { from: ACCOUNTS.buyer, period: "1", energyWh: "3000", price: "0.90" });
  for (let round = 0; round < 3 && Number((await auction.state(1n)).phase) === 1; round++) {
    await time.increase(61);
    await runTask(hre, "auction:close-round", { period: "1" });
  }

  // cycle 2: posting over, submission window open for ten hours
  await runTask(hre, "match:open", { postingMinutes: "1", submissionMinutes: "600" });
  await runTask(hre, "match:offer", { from: ACCOUNTS.seller, cycle: "2", price: "0.60", capacityWh: "5000" });
  await runTask(hre, "match:request", { from: ACCOUNTS.buyer, cycle: "2", energyWh: "2000", maxPrice: "0.80" });
  await time.increase(2 * 60);

  // from here on no time passes: what follows stays in its first phase
  await runTask(hre, "auction:open", {});
  await runTask(hre, "auction:ask", { from: ACCOUNTS.seller, period: "2", energyWh: "4000", price: "0.60" });
  await runTask(hre, "auction:bid", { from: ACCOUNTS.buyer, period: "2", energyWh: "2000", price: "0.80" });
  await runTask(hre, "match:open", {});
  await runTask(hre, "match:offer", { from: ACCOUNTS.seller, cycle: "3", price: "0.60", capacityWh: "5000" });
  await runTask(hre, "match:request", { from: ACCOUNTS.buyer, cycle: "3", energyWh: "1000", maxPrice: "0.90" });
  await openTrade(escrow, market, seller, buyer, { startIn: 3 * 86_400 });

  const addresses: Record<string, string> = {};
  for (const [key, contract] of Object.entries(deployed)) {
    const id = CONTRACT_IDS[key as ContractKey];
    if (id) addresses[id] = await contract.getAddress();
  }
  const phases = {
    period1: Number((await auction.state(1n)).phase),
    cycle1: Number(await matching.phaseOf(1n)),
    cycle2: Number(await matching.phaseOf(2n)),
    cycle3: Number(await matching.phaseOf(3n)),
  };
  return { addresses, escrow: await escrow.getAddress(), phases };
}

export type Market = Awaited<ReturnType<typeof marketFixture>>;

/** The market snapshot, with the tasks pointed at it again (other files' fixtures deploy markets too). */
export async function loadMarket(): Promise<Market> {
  const market = await loadFixture(marketFixture);
  rememberDeployment((await hre.ethers.provider.getNetwork()).chainId, market.addresses);
  return market;
}

/** Files a person might hand a task by mistake, written once into a temporary folder. */
export interface Files {
  readonly dir: string;
  /** `name` inside the folder; files not written here do not exist. */
  at(name: string): string;
}

export async function writeFiles(market: Market): Promise<Files> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "greengrid-malformed-"));
  const at = (name: string) => path.join(dir, name);
  const write = (name: string, content: unknown) =>
    fs.writeFileSync(at(name), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  fs.mkdirSync(at("folder"));
  write("plain.txt", "not a market file\n");
  write("broken.json", '{ "tick": 0.01, ');
  write("empty.json", "");
  write("null.json", "null");
  write("list.json", "[]");
  write("number.json", "42");

  const scenario = JSON.parse(fs.readFileSync("scenarios/auction/hour24-buyers-market.json", "utf8"));
  write("scenario-extra-field.json", { ...scenario, sellerz: [] });
  write("scenario-tariffs.json", { ...scenario, feedInTariff: 1.2 });
  write("scenario-no-tick.json", { ...scenario, tick: undefined });
  write("scenario-negative-kwh.json", { ...scenario, sellers: [{ ...scenario.sellers[0], kwh: -3 }] });
  write("scenario-duplicate-id.json", { ...scenario, buyers: [{ ...scenario.buyers[0], id: "E" }] });
  write("scenario-price-text.json", { ...scenario, sellers: [{ ...scenario.sellers[0], minPrice: "cheap" }] });

  write("gap-words.txt", "agents jobs capacities\n");
  write("gap-truncated.txt", "2 3\n1 2 3\n");
  write("gap-negative.txt", "1 2\n5 5\n-1 2\n10\n");

  const demo = JSON.parse(fs.readFileSync("scenarios/demo.json", "utf8"));
  const demoDir = path.resolve("scenarios");
  const hours = demo.auction.map((h: { scenario: string }) => ({ ...h, scenario: path.join(demoDir, h.scenario) }));
  write("demo-missing-hour.json", { ...demo, auction: [{ ...hours[0], scenario: at("missing-hour.json") }] });
  write("demo-extra-field.json", { ...demo, auction: hours, cyclez: 3 });
  write("demo-cycles-text.json", { ...demo, auction: hours, reputation: { ...demo.reputation, cycles: "ten" } });

  // signed readings: one genuine reading of the open trade per meter, then altered copies
  const signers = await hre.ethers.getSigners();
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  const reading = { tradeId: 2n, side: 0, energyWh: 5000n, sequence: 1n, chainId };
  const sellerMeter = signers[Number(DEVICES.seller)];
  const genuine = toReadingFile(await signReading(sellerMeter, market.escrow, reading));
  write("reading.json", genuine);
  write("reading-forged.json", { ...genuine, reading: { ...genuine.reading, energyWh: "9000" } });
  write("reading-no-signature.json", { ...genuine, signature: undefined });
  write("reading-side-text.json", { ...genuine, reading: { ...genuine.reading, side: "provider" } });
  const otherEscrow = "0x000000000000000000000000000000000000bEEF";
  write("reading-other-escrow.json", toReadingFile(await signReading(sellerMeter, otherEscrow, reading)));
  write(
    "reading-other-chain.json",
    toReadingFile(await signReading(sellerMeter, market.escrow, { ...reading, chainId: 11155111n })),
  );
  write(
    "reading-wrong-meter.json",
    toReadingFile(await signReading(signers[Number(DEVICES.buyer)], market.escrow, reading)),
  );
  write(
    "reading-settled.json",
    toReadingFile(await signReading(sellerMeter, market.escrow, { ...reading, tradeId: 1n })),
  );
  write(
    "reading-unknown-trade.json",
    toReadingFile(await signReading(sellerMeter, market.escrow, { ...reading, tradeId: 77n })),
  );
  write(
    "readings-too-many.json",
    Array.from({ length: 51 }, () => genuine),
  );
  write("readings-repeated-sequence.json", [genuine, genuine]);
  return { dir, at };
}
