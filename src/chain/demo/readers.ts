import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type {
  AuctionPeriodFacts,
  LedgerFacts,
  QuoteRevisionFact,
  ReputationFacts,
  ReputationUpdateFact,
} from "../../core/demo/facts";
import type { SettlementRecord } from "../../core/settlement";
import { auctionAt, readBook, readRounds } from "../auction";
import { deployedAddress } from "../deployments";
import { certificatesAt, escrowAt, listTrades, readSettlement, readTotals, tokenAt } from "../escrow";
import { matchingAt } from "../matching";
import { registryAt } from "../registry";

/**
 * Report readers: what the demo shows is read back from the contracts after the run (state, and events
 * for what state does not keep: each round's price and revisions, reputation per cycle, certificates).
 */

/** A period's orders (first and final quotes), its RoundClosed and QuoteRevised events, tariffs and delivery window. */
export async function readAuctionPeriod(hre: HardhatRuntimeEnvironment, periodId: bigint): Promise<AuctionPeriodFacts> {
  const auction = await auctionAt(hre);
  const [book, rounds, revised] = await Promise.all([
    readBook(auction, periodId),
    readRounds(auction, periodId),
    auction.queryFilter(auction.filters.QuoteRevised(periodId), 0),
  ]);
  const revisions: QuoteRevisionFact[] = revised.map((e) => ({
    round: Number(e.args.round),
    order: Number(e.args.orderIndex),
    newQuote: e.args.newQuote,
  }));
  return {
    periodId,
    tick: book.params.tick,
    feedInTariff: book.params.feedInTariff,
    retailTariff: book.params.retailTariff,
    deliveryStart: book.params.deliveryStart,
    deliveryEnd: book.params.deliveryEnd,
    orders: book.orders,
    rounds: rounds.map((r) => ({ round: r.round, market: r.market, price: r.price, revisions: r.revisions })),
    revisions,
  };
}

/** ReputationUpdated events of the cycles, each cycle's alpha, and every provider's reputationOf now. */
export async function readReputation(
  hre: HardhatRuntimeEnvironment,
  cycleIds: readonly bigint[],
  providers: readonly string[],
): Promise<ReputationFacts> {
  const matching = await matchingAt(hre);
  const events = await matching.queryFilter(matching.filters.ReputationUpdated(), 0);
  const wanted = new Set(cycleIds);
  const updates: ReputationUpdateFact[] = events
    .filter((e) => wanted.has(e.args.cycleId))
    .map((e) => ({
      provider: e.args.provider,
      cycleId: e.args.cycleId,
      currentWad: e.args.currentWad,
      comprehensiveWad: e.args.comprehensiveWad,
    }));
  const alphaWad = new Map<bigint, bigint>();
  for (const id of cycleIds) alphaWad.set(id, (await matching.cycleState(id)).alphaWad);
  const finalWad = new Map<string, bigint>();
  for (const p of providers) finalWad.set(p.toLowerCase(), await matching.reputationOf(p));
  return { alphaWad, updates, finalWad };
}

/** Every trade of the escrow with its settlement and certificates, the escrow's totals, and the participants' batteries. */
export async function readLedger(
  hre: HardhatRuntimeEnvironment,
  participants: readonly string[],
): Promise<LedgerFacts> {
  const [escrow, token, certificates, registry] = await Promise.all([
    escrowAt(hre),
    tokenAt(hre),
    certificatesAt(hre),
    registryAt(hre),
  ]);
  const trades = await listTrades(escrow, { limit: await escrow.tradeCount() });
  const settlements = new Map<bigint, SettlementRecord | null>();
  for (const t of trades) settlements.set(t.id, await readSettlement(escrow, t.id));
  const certificatesWh = new Map<bigint, bigint>();
  for (const e of await certificates.queryFilter(certificates.filters.CertificateIssued(), 0)) {
    certificatesWh.set(e.args.tradeId, (certificatesWh.get(e.args.tradeId) ?? 0n) + e.args.amountWh);
  }
  const batteryWh = new Map<string, bigint>();
  for (const p of participants) {
    batteryWh.set(p.toLowerCase(), (await registry.participant(p)).registration.batteryWh);
  }
  const totals = await readTotals(escrow, token);
  return {
    auctionAddress: await deployedAddress(hre, "auction"),
    matchingAddress: await deployedAddress(hre, "matching"),
    trades,
    settlements,
    certificatesWh,
    ...totals,
    batteryWh,
  };
}
