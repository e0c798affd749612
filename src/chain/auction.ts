import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { ContractRunner } from "ethers";
import type { DoubleAuction, IDoubleAuction } from "../../typechain-types";
import { meritOrder } from "../core/auction/meritOrder";
import type { NashMarket, Order, Side } from "../core/auction/types";
import { deployedAddress } from "./deployments";
import { simulateAndSend, type SendResult } from "./send";

export const SIDES: readonly Side[] = ["seller", "buyer"];
export const MARKET_TYPES = ["empty", "buyer", "seller", "balanced"] as const;
export const PHASES = ["None", "Open", "Cleared", "Finalized"] as const;

export async function auctionAt(hre: HardhatRuntimeEnvironment, runner?: ContractRunner): Promise<DoubleAuction> {
  const address = await deployedAddress(hre, "auction");
  const contract = await hre.ethers.getContractAt("DoubleAuction", address);
  return (runner ? contract.connect(runner) : contract) as DoubleAuction;
}

/** One order as the chain holds it, with the core's view of it. */
export interface BookOrder {
  readonly index: number;
  readonly participant: string;
  readonly side: Side;
  readonly energyWh: bigint;
  readonly quote: bigint;
  readonly firstQuote: bigint;
  readonly cancelled: boolean;
}

export interface RoundRecord {
  readonly round: number;
  readonly market: (typeof MARKET_TYPES)[number];
  readonly price: bigint;
  readonly marginalOrder: number | null;
  readonly priceSetterOrder: number | null;
  readonly marginalAllocationWh: bigint;
  readonly supplyWh: bigint;
  readonly demandWh: bigint;
  readonly revisions: number;
}

export interface Book {
  readonly periodId: bigint;
  readonly params: IDoubleAuction.PeriodParamsStructOutput;
  readonly phase: (typeof PHASES)[number];
  readonly round: number;
  readonly roundEndsAt: bigint;
  readonly orders: readonly BookOrder[];
}

const PAGE = 500;
const NONE = 0xffff_ffff;

/** The whole order book of a period, read page by page (orderCap bounds the pages). */
export async function readBook(auction: DoubleAuction, periodId: bigint): Promise<Book> {
  const [params, state, count] = await Promise.all([
    auction.params(periodId),
    auction.state(periodId),
    auction.orderCount(periodId),
  ]);
  const orders: BookOrder[] = [];
  for (let offset = 0n; offset < count; offset += BigInt(PAGE)) {
    const page = await auction.ordersPage(periodId, offset, PAGE);
    page.forEach((o, i) =>
      orders.push({
        index: Number(offset) + i,
        participant: o.participant,
        side: SIDES[Number(o.side)],
        energyWh: o.energyWh,
        quote: o.quote,
        firstQuote: o.firstQuote,
        cancelled: o.cancelled,
      }),
    );
  }
  return {
    periodId,
    params,
    phase: PHASES[Number(state.phase)],
    round: Number(state.round),
    roundEndsAt: state.roundEndsAt,
    orders,
  };
}

/** The active orders in the core's terms: id = order index, seq = order index, reservation = first quote. */
export function coreOrders(book: Pick<Book, "orders">): Order[] {
  return book.orders
    .filter((o) => !o.cancelled)
    .map((o) => ({
      id: String(o.index),
      side: o.side,
      energyWh: o.energyWh,
      quote: o.quote,
      reservation: o.firstQuote,
      seq: o.index,
    }));
}

/** The merit orders the contract verifies, as order indices, computed off-chain. */
export function meritOrderHints(book: Book): { sellers: number[]; buyers: number[] } {
  const orders = coreOrders(book);
  const toIndices = (side: Side) => meritOrder(orders, side).map((i) => Number(orders[i].id));
  return { sellers: toIndices("seller"), buyers: toIndices("buyer") };
}

/** The Nash engine's market for a period: every active order, its first quote as reservation. */
export function nashMarketOf(book: Book): NashMarket {
  return {
    tick: book.params.tick,
    feedInTariff: book.params.feedInTariff,
    retailTariff: book.params.retailTariff,
    participants: coreOrders(book).map((o) => ({
      id: o.id,
      side: o.side,
      energyWh: o.energyWh,
      reservation: o.reservation,
      seq: o.seq,
    })),
  };
}

/** Every published round of a period, from its RoundClosed events. */
export async function readRounds(auction: DoubleAuction, periodId: bigint): Promise<RoundRecord[]> {
  const events = await auction.queryFilter(auction.filters.RoundClosed(periodId), 0);
  return events.map((e) => ({
    round: Number(e.args.round),
    market: MARKET_TYPES[Number(e.args.market)],
    price: e.args.price,
    marginalOrder: Number(e.args.marginalOrder) === NONE ? null : Number(e.args.marginalOrder),
    priceSetterOrder: Number(e.args.priceSetterOrder) === NONE ? null : Number(e.args.priceSetterOrder),
    marginalAllocationWh: e.args.marginalAllocationWh,
    supplyWh: e.args.supplyWh,
    demandWh: e.args.demandWh,
    revisions: Number(e.args.revisions),
  }));
}

/**
 * Finalizes a cleared period in transactions of `batch` steps until PeriodFinalized (one
 * simulated transaction on a dry run). Bound: every call makes at least one step, and a period
 * has at most orders + trades <= 2 x orders steps.
 */
export async function finalizePeriod(
  hre: HardhatRuntimeEnvironment,
  auction: DoubleAuction,
  book: Book,
  batch: number,
  { label = "auction:finalize", dryRun = false }: { label?: string; dryRun?: boolean } = {},
): Promise<SendResult[]> {
  const { sellers, buyers } = meritOrderHints(book);
  const results: SendResult[] = [];
  for (let call = 0; call <= book.orders.length * 2; call++) {
    const sent = await simulateAndSend(
      hre,
      auction,
      "finalize",
      [book.periodId, sellers, buyers, batch],
      { label, dryRun },
    );
    results.push(sent);
    if (dryRun || sent.outcome!.events.some((e) => e.name === "PeriodFinalized")) break;
  }
  return results;
}

/**
 * How many trades a finalized period created, from its PeriodFinalized event; null while it is not finalized.
 * A re-run of finalize reads this to say the step is done instead of sending anything.
 */
export async function finalizedTradeCount(auction: DoubleAuction, periodId: bigint): Promise<number | null> {
  const events = await auction.queryFilter(auction.filters.PeriodFinalized(periodId), 0);
  return events.length ? Number(events[events.length - 1].args.trades) : null;
}

/** The TradeMatched events of finalize transactions. */
export function matchedTrades(results: readonly SendResult[]) {
  return results.flatMap((r) => r.outcome?.events.filter((e) => e.name === "TradeMatched") ?? []);
}
