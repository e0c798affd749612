/**
 * Gas of the DoubleAuction, one period at a time, through its public entry points only:
 * placeOrder (margin and prepayment locks in the escrow included), revise (the Nash engine's
 * round-2 replies), closeRound with the merit order computed off-chain (src/chain/auction
 * meritOrderHints) and verified on chain, and finalize into escrow trades.
 */
import type { Wallet } from "ethers";
import { meritOrderHints, readBook } from "../../src/chain/auction";
import { planNashPosting } from "../../src/chain/auctionNash";
import { DEFAULT_RANDOM_MARKET_OPTIONS } from "../../src/core/auction";
import { seededRandom } from "../../src/core/random";
import { encode, type BenchChain, type Call, type RpcReceipt } from "./chain";
import { GEUR, type Market } from "./market";

/** EIP-7825 (osaka): no transaction may use more gas than this. */
export const TX_GAS_CAP = 2 ** 24;

/** Order i of a benchmark book: sellers at even positions, buyers at odd ones (exactly half each). */
export interface BenchOrder {
  readonly side: 0 | 1;
  readonly energyWh: bigint;
  readonly price: bigint;
}

const TICK = DEFAULT_RANDOM_MARKET_OPTIONS.tick;
const FEED_IN_TICKS = DEFAULT_RANDOM_MARKET_OPTIONS.feedInTicks;
const RETAIL_TICKS = DEFAULT_RANDOM_MARKET_OPTIONS.retailTicks;
/** Margin per order, token base units. */
export const MARGIN = GEUR;
/** What each auction participant deposits: the margin plus the largest prepayment (20 kWh at 1.00), twice over. */
export const AUCTION_DEPOSIT = 50n * GEUR;

/**
 * A deterministic book: prices uniform on whole ticks between the tariffs, energy uniform in the
 * ranges of src/core/auction randomMarket's defaults, sellers and buyers alternating.
 */
export function benchOrders(size: number, seed: number): BenchOrder[] {
  const random = seededRandom(seed);
  const { minEnergyWh, maxEnergyWh } = DEFAULT_RANDOM_MARKET_OPTIONS;
  return Array.from({ length: size }, (_, k): BenchOrder => {
    const side = (k % 2) as 0 | 1;
    return {
      side,
      energyWh: BigInt(random.int(minEnergyWh, maxEnergyWh)),
      price: BigInt(random.int(FEED_IN_TICKS, RETAIL_TICKS)) * TICK,
    };
  });
}

/** The book of `seed`, whichever market it makes. */
export function auctionBook(size: number, seed: number): { seed: number; orders: BenchOrder[] } {
  return { seed, orders: benchOrders(size, seed) };
}

const GAS = { open: 300_000n, place: 400_000n, revise: 150_000n } as const;

type AuctionEvent = "AuctionEnded" | "TradeMatched" | "OrderReleased" | "PeriodFinalized";

function topicOf(market: Market, event: AuctionEvent): string {
  return market.auction.interface.getEvent(event).topicHash;
}

function count(receipt: RpcReceipt, topic: string): number {
  return receipt.logs.filter((log) => log.topics[0] === topic).length;
}

export const gasOf = (receipt: RpcReceipt): number => Number(BigInt(receipt.gasUsed));

export async function openPeriod(
  chain: BenchChain,
  market: Market,
  { orderCap, maxRounds }: { orderCap: number; maxRounds: number },
): Promise<bigint> {
  const now = BigInt(await chain.latestTimestamp());
  await chain.send({
    from: market.deployer,
    to: market.addresses.auction,
    gasLimit: GAS.open,
    label: "openPeriod",
    data: encode(market.auction, "openPeriod", [
      {
        region: 0,
        tick: TICK,
        feedInTariff: BigInt(FEED_IN_TICKS) * TICK,
        retailTariff: BigInt(RETAIL_TICKS) * TICK,
        roundDuration: 3_600,
        maxRounds,
        orderCap,
        margin: MARGIN,
        deliveryStart: now + 86_400n,
        deliveryEnd: now + 90_000n,
        settlementDeadline: now + 3n * 86_400n,
      },
    ]),
  });
  return market.auction.periodCount();
}

/** Participant k places order k; returns the gas of each placement in order. */
export async function placeOrders(
  chain: BenchChain,
  market: Market,
  periodId: bigint,
  wallets: readonly Wallet[],
  orders: readonly BenchOrder[],
): Promise<number[]> {
  const receipts = await chain.bulk(
    orders.map(
      (o, k): Call => ({
        from: wallets[k],
        to: market.addresses.auction,
        gasLimit: GAS.place,
        label: `placeOrder #${k}`,
        data: encode(market.auction, "placeOrder", [periodId, o.side, o.energyWh, o.price]),
      }),
    ),
  );
  return receipts.map(gasOf);
}

export interface Close {
  readonly gas: number;
  readonly ended: boolean;
  readonly sellers: readonly number[];
  readonly buyers: readonly number[];
}

/** Reads the book, computes the merit orders off-chain and closes the round with them (as the operator). */
export async function closeRound(chain: BenchChain, market: Market, periodId: bigint): Promise<Close> {
  const book = await readBook(market.auction, periodId);
  const { sellers, buyers } = meritOrderHints(book);
  const receipt = await chain.send({
    from: market.deployer,
    to: market.addresses.auction,
    gasLimit: BigInt(TX_GAS_CAP),
    label: `closeRound (period ${periodId}, round ${book.round}, ${sellers.length + buyers.length} orders)`,
    data: encode(market.auction, "closeRound(uint256,uint32[],uint32[])", [periodId, sellers, buyers]),
  });
  return { gas: gasOf(receipt), ended: count(receipt, topicOf(market, "AuctionEnded")) > 0, sellers, buyers };
}

/** Closes the round like closeRound, but returns null instead of throwing when it exceeds TX_GAS_CAP. */
async function closeWithinCap(chain: BenchChain, market: Market, periodId: bigint): Promise<Close | null> {
  const book = await readBook(market.auction, periodId);
  const { sellers, buyers } = meritOrderHints(book);
  const receipt = await chain.sendUnlessOutOfGas({
    from: market.deployer,
    to: market.addresses.auction,
    gasLimit: BigInt(TX_GAS_CAP),
    label: `closeRound (period ${periodId}, round ${book.round}, ${sellers.length + buyers.length} orders)`,
    data: encode(market.auction, "closeRound(uint256,uint32[],uint32[])", [periodId, sellers, buyers]),
  });
  if (receipt === null) return null;
  return { gas: gasOf(receipt), ended: count(receipt, topicOf(market, "AuctionEnded")) > 0, sellers, buyers };
}

export interface MaxBookCheck {
  /** The largest book whose whole auction (round 1 and the closing round that ends it) fits under the cap. */
  readonly maxOrders: number;
  /** Gas of the closing round that ended the auction at maxOrders. */
  readonly gasAtMax: number;
  /** Gas of round 1 at maxOrders. */
  readonly round1GasAtMax: number;
  /** Set when the search reached the contract's MAX_ORDER_CAP with every size fitting. */
  readonly cappedAt: number | null;
  /** Every book size tried and whether it fitted (in order). */
  readonly tried: readonly { readonly orders: number; readonly fits: boolean; readonly endingGas: number | null }[];
}

/**
 * Finds the largest book that can be cleared by actually clearing books on chain. One period with
 * maxRounds 2 (round 1, then the round that ends the auction) grows order by order; each size is
 * measured inside an evm_snapshot (close round 1, close round 2) and reverted, so the book keeps
 * growing. From `start` orders (which must fit) it steps up by 90 % of the headroom under the cap
 * divided by the marginal gas per order (the largest secant seen so far, from `known`, a measured
 * smaller book, on), and bisects between the last size that fits and the first that does not.
 * The search stops at `cap` (the contract's MAX_ORDER_CAP) when a book of that size still fits.
 */
export async function checkMaxBook(
  chain: BenchChain,
  market: Market,
  wallets: readonly Wallet[],
  start: number,
  known: { readonly orders: number; readonly gas: number },
  seed: number,
  cap: number,
): Promise<MaxBookCheck> {
  const orders = benchOrders(wallets.length, seed);
  const periodId = await openPeriod(chain, market, { orderCap: Math.min(wallets.length, cap), maxRounds: 2 });
  let placed = 0;
  const grow = async (size: number) => {
    if (size > wallets.length) throw new Error(`checkMaxBook needs more than ${wallets.length} participants`);
    await placeOrders(chain, market, periodId, wallets.slice(placed, size), orders.slice(placed, size));
    placed = size;
  };
  const tried: { orders: number; fits: boolean; endingGas: number | null }[] = [];
  const measure = async () => {
    const inner = await chain.snapshot();
    const first = await closeWithinCap(chain, market, periodId);
    const ending = first === null ? null : await closeWithinCap(chain, market, periodId);
    await chain.revert(inner);
    if (ending !== null && !ending.ended) throw new Error("the second closeRound did not end the auction");
    tried.push({ orders: placed, fits: ending !== null, endingGas: ending?.gas ?? null });
    return first === null || ending === null ? null : { round1: first.gas, ending: ending.gas };
  };

  await grow(start);
  let fit = await measure();
  if (fit === null) throw new Error(`checkMaxBook: the starting book of ${start} orders does not fit`);
  let best = { orders: start, ...fit };
  let base = await chain.snapshot(); // the book at best.orders
  let failAt: number | null = null;
  let marginal = (best.ending - known.gas) / (best.orders - known.orders);
  for (let guard = 0; guard < 40; guard++) {
    const step: number =
      failAt === null
        ? Math.max(1, Math.floor((0.9 * (TX_GAS_CAP - best.ending)) / marginal))
        : Math.floor((failAt - best.orders) / 2);
    if (step < 1 || best.orders >= cap) break;
    const size: number = Math.min(cap, best.orders + step);
    await grow(size);
    fit = await measure();
    if (fit !== null) {
      marginal = Math.max(marginal, (fit.ending - best.ending) / (size - best.orders));
      best = { orders: size, ...fit };
      base = await chain.snapshot();
    } else {
      failAt = size;
      await chain.revert(base);
      base = await chain.snapshot();
      placed = best.orders;
    }
  }
  if (failAt === null && best.orders < cap) throw new Error("checkMaxBook: no failing size found");
  const cappedAt = failAt === null ? cap : null;
  return { maxOrders: best.orders, gasAtMax: best.ending, round1GasAtMax: best.round1, cappedAt, tried };
}

export interface FinalizeRun {
  readonly gas: readonly number[];
  readonly trades: number;
  readonly releases: number;
  /** Gas and trades of the calls that only created trades (no releases, no final bookkeeping). */
  readonly tradeOnlyGas: number;
  readonly tradeOnlyTrades: number;
}

/** finalize in calls of `maxSteps` until PeriodFinalized. */
export async function finalizePeriod(
  chain: BenchChain,
  market: Market,
  periodId: bigint,
  close: Close,
  maxSteps: number,
): Promise<FinalizeRun> {
  const tradeTopic = topicOf(market, "TradeMatched");
  const releaseTopic = topicOf(market, "OrderReleased");
  const doneTopic = topicOf(market, "PeriodFinalized");
  const run = { gas: [] as number[], trades: 0, releases: 0, tradeOnlyGas: 0, tradeOnlyTrades: 0 };
  const limit = close.sellers.length + close.buyers.length + 2;
  for (let call = 0; call < limit; call++) {
    const receipt = await chain.send({
      from: market.deployer,
      to: market.addresses.auction,
      gasLimit: BigInt(TX_GAS_CAP),
      label: `finalize (period ${periodId}, call ${call})`,
      data: encode(market.auction, "finalize(uint256,uint32[],uint32[],uint32)", [
        periodId,
        close.sellers,
        close.buyers,
        maxSteps,
      ]),
    });
    const trades = count(receipt, tradeTopic);
    const releases = count(receipt, releaseTopic);
    const done = count(receipt, doneTopic) > 0;
    run.gas.push(gasOf(receipt));
    run.trades += trades;
    run.releases += releases;
    if (trades === maxSteps && releases === 0 && !done) {
      run.tradeOnlyGas += gasOf(receipt);
      run.tradeOnlyTrades += trades;
    }
    if (done) return run;
  }
  throw new Error(`finalize of period ${periodId} did not finish in ${limit} calls`);
}

export interface AuctionRun {
  readonly size: number;
  readonly placeGas: readonly number[];
  readonly reviseGas: readonly number[];
  /** Every closeRound in order: round 1 (no revisions yet), ..., the one that ends the auction. */
  readonly closeGas: readonly number[];
  readonly finalize: FinalizeRun;
  readonly price: bigint;
  readonly nashStatus: string;
  /** The seed of the book. */
  readonly seed: number;
}

/**
 * A whole period of `size` orders by `wallets` (one order each): place, close round 1, the Nash
 * engine's revisions round by round (each round closed), the closing round that ends the auction,
 * finalize.
 */
export async function runAuction(
  chain: BenchChain,
  market: Market,
  wallets: readonly Wallet[],
  size: number,
  seed: number,
  finalizeSteps: number,
): Promise<AuctionRun> {
  const { seed: bookSeed, orders } = auctionBook(size, seed);
  const periodId = await openPeriod(chain, market, { orderCap: size, maxRounds: 10 });
  const placeGas = await placeOrders(chain, market, periodId, wallets, orders);

  const plan = planNashPosting(
    await readBook(market.auction, periodId),
    wallets.map((w) => w.address),
  );
  const byAddress = new Map(wallets.map((w) => [w.address.toLowerCase(), w]));
  const closeGas: number[] = [];
  const reviseGas: number[] = [];
  let close = await closeRound(chain, market, periodId);
  closeGas.push(close.gas);
  for (const round of plan.rounds) {
    if (close.ended) break;
    const receipts = await chain.bulk(
      round.revisions.map(
        (r): Call => ({
          from: byAddress.get(r.participant.toLowerCase())!,
          to: market.addresses.auction,
          gasLimit: GAS.revise,
          label: `revise order ${r.order}`,
          data: encode(market.auction, "revise", [periodId, r.price]),
        }),
      ),
    );
    reviseGas.push(...receipts.map(gasOf));
    close = await closeRound(chain, market, periodId);
    closeGas.push(close.gas);
  }
  // A round without revisions ends the auction (the round limit bounds this loop).
  for (let extra = 0; !close.ended && extra < 10; extra++) {
    close = await closeRound(chain, market, periodId);
    closeGas.push(close.gas);
  }
  if (!close.ended) throw new Error(`period ${periodId} did not end`);
  const finalize = await finalizePeriod(chain, market, periodId, close, finalizeSteps);
  const result = await market.auction.result(periodId);
  return {
    size,
    placeGas,
    reviseGas,
    closeGas,
    finalize,
    price: result.price,
    nashStatus: plan.status,
    seed: bookSeed,
  };
}
