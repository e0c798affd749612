import { advanceTo } from "../../src/chain/demo/clock";
import { relayReadings, settleTrades, type Delivery } from "../../src/chain/demo/delivery";
import { escrowAt, listTrades } from "../../src/chain/escrow";
import type { TradeRecord } from "../../src/core/settlement";
import type { DemoRunner } from "./runner";

/** The trades a market created in one of its periods (auction period or matching cycle), read from the escrow. */
export async function tradesOf(runner: DemoRunner, market: string, period: bigint): Promise<TradeRecord[]> {
  const escrow = await escrowAt(runner.hre);
  const all = await listTrades(escrow, { limit: await escrow.tradeCount() });
  return all.filter((t) => t.market.toLowerCase() === market.toLowerCase() && t.period === period);
}

/**
 * Delivery of `trades`: time moves to the end of their delivery windows, each party's meter signs what it
 * measured (`measured` gives rho and gamma per trade), the operator relays the readings in batches as a
 * gateway would, and anyone (here the operator) settles the trades in batches.
 */
export async function deliverAndSettle(
  runner: DemoRunner,
  trades: readonly TradeRecord[],
  measured: (trade: TradeRecord) => { readonly providerWh: bigint; readonly userWh: bigint },
): Promise<void> {
  if (trades.length === 0) return;
  const end = trades.reduce((latest, t) => (t.deliveryEnd > latest ? t.deliveryEnd : latest), 0n);
  await advanceTo(runner.hre, end);
  const name = (address: string) => runner.names.get(address.toLowerCase())!;
  const deliveries: Delivery[] = trades.map((trade) => ({
    trade,
    ...measured(trade),
    providerMeter: runner.member(name(trade.seller)).meter,
    userMeter: runner.member(name(trade.buyer)).meter,
  }));
  const escrow = await escrowAt(runner.hre, runner.operator);
  await relayReadings(runner.hre, escrow, deliveries);
  await settleTrades(
    runner.hre,
    escrow,
    trades.map((t) => t.id),
  );
}
