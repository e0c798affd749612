import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import {
  parseCurrencyArg,
  parseIntegerArg,
  parseSmallIntArg,
  formatUnits,
  UINT16_MAX,
  UINT64_MAX,
  UINT32_MAX,
  UINT128_MAX,
  type Problems,
} from "../src/cli/args";
import { UserError, usageError } from "../src/cli/errors";
import { reportSend } from "../src/cli/report";
import { formatTable, printJson } from "../src/cli/output";
import { cliAction, ensureCompiled, withJson, withSend, type CommonArgs, type SendArgs } from "../src/cli/task";
import {
  auctionAt,
  finalizedTradeCount,
  finalizePeriod,
  matchedTrades,
  meritOrderHints,
  readBook,
  readRounds,
  type Book,
} from "../src/chain/auction";
import { resolveSigner } from "../src/chain/signers";
import { simulateAndSend, type SendResult } from "../src/chain/send";
import { planNashPosting, postNashPlan } from "../src/chain/auctionNash";

function parsePeriod(value: unknown, problems: Problems): bigint {
  return parseIntegerArg("--period", value, problems, { min: 1n, max: UINT64_MAX });
}

async function openBook(hre: HardhatRuntimeEnvironment, periodId: bigint, from?: string) {
  await ensureCompiled(hre);
  const signer = from === undefined ? undefined : await resolveSigner(hre, from);
  const auction = await auctionAt(hre, signer);
  if (periodId > (await auction.periodCount())) {
    throw new UserError(
      `Period ${periodId} does not exist (${await auction.periodCount()} periods so far). Open one with auction:open.`,
    );
  }
  return { signer, auction, book: await readBook(auction, periodId) };
}

const PARAM_FIELDS = [
  "region",
  "tick",
  "feedInTariff",
  "retailTariff",
  "roundDuration",
  "maxRounds",
  "orderCap",
  "margin",
  "deliveryStart",
  "deliveryEnd",
  "settlementDeadline",
] as const;

function paramsObject(book: Book): Record<string, bigint> {
  return Object.fromEntries(PARAM_FIELDS.map((k) => [k, BigInt(book.params[k])]));
}

/** Price checks the contract would make, said in currency units before anything is sent. */
function priceProblems(book: Book, price: bigint): string[] {
  const p = book.params;
  if (price < p.feedInTariff || price > p.retailTariff) {
    return [
      `--price ${formatUnits(price)} is outside the tariffs [${formatUnits(p.feedInTariff)}, ${formatUnits(
        p.retailTariff,
      )}]`,
    ];
  }
  if (price % p.tick !== 0n)
    return [`--price ${formatUnits(price)} is not a whole number of ticks of ${formatUnits(p.tick)}`];
  return [];
}

interface OpenArgs extends SendArgs {
  tick: string;
  feedIn: string;
  retail: string;
  roundDuration: string;
  maxRounds: string;
  orderCap: string;
  margin: string;
  region: string;
  deliveryIn: string;
  deliveryHours: string;
  settlementHours: string;
}

withSend(task("auction:open", "Operator: open a trading period for the double auction"))
  .addOptionalParam("tick", "Price tick, currency per kWh", "0.01")
  .addOptionalParam("feedIn", "Feed-in tariff (lowest quote), currency per kWh", "0.30")
  .addOptionalParam("retail", "Retail tariff (highest quote), currency per kWh", "1.00")
  .addOptionalParam("roundDuration", "Seconds after which anyone may close a round", "900")
  .addOptionalParam("maxRounds", "Round limit", "20")
  .addOptionalParam("orderCap", "Most orders in the period", "1000")
  .addOptionalParam("margin", "Margin locked per order, currency", "1.00")
  .addOptionalParam("region", "Grid zone (0 = every region)", "0")
  .addOptionalParam("deliveryIn", "Seconds from now until delivery starts", "86400")
  .addOptionalParam("deliveryHours", "Length of the delivery window, hours", "1")
  .addOptionalParam("settlementHours", "Hours after delivery until anyone may settle", "24")
  .setAction(
    cliAction("auction:open", async (args: OpenArgs, hre) => {
      const problems: Problems = [];
      const tick = parseCurrencyArg("--tick", args.tick, problems, { min: 1n, max: UINT64_MAX });
      const feedIn = parseCurrencyArg("--feed-in", args.feedIn, problems, { min: 1n, max: UINT64_MAX });
      const retail = parseCurrencyArg("--retail", args.retail, problems, { min: 1n, max: UINT64_MAX });
      const roundDuration = parseSmallIntArg("--round-duration", args.roundDuration, problems, 1, UINT32_MAX);
      const maxRounds = parseSmallIntArg("--max-rounds", args.maxRounds, problems, 2, UINT16_MAX);
      const orderCap = parseSmallIntArg("--order-cap", args.orderCap, problems, 1, 4_096);
      const margin = parseCurrencyArg("--margin", args.margin, problems, { max: UINT128_MAX });
      const region = parseSmallIntArg("--region", args.region, problems, 0, UINT16_MAX);
      const deliveryIn = parseIntegerArg("--delivery-in", args.deliveryIn, problems, { min: 1n, max: 10n ** 9n });
      const deliveryHours = parseIntegerArg("--delivery-hours", args.deliveryHours, problems, { min: 1n, max: 8760n });
      const settlementHours = parseIntegerArg("--settlement-hours", args.settlementHours, problems, {
        min: 0n,
        max: 8760n,
      });
      if (tick > 0n && feedIn % tick !== 0n) problems.push("--feed-in must be a whole number of ticks");
      if (tick > 0n && retail % tick !== 0n) problems.push("--retail must be a whole number of ticks");
      if (retail <= feedIn) problems.push("--retail must be above --feed-in");
      if (problems.length) throw usageError("auction:open", problems);

      await ensureCompiled(hre);
      const signer = await resolveSigner(hre, args.from);
      const auction = await auctionAt(hre, signer);
      const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
      const deliveryStart = now + deliveryIn;
      const deliveryEnd = deliveryStart + deliveryHours * 3600n;
      const params = {
        region,
        tick,
        feedInTariff: feedIn,
        retailTariff: retail,
        roundDuration,
        maxRounds,
        orderCap,
        margin,
        deliveryStart,
        deliveryEnd,
        settlementDeadline: deliveryEnd + settlementHours * 3600n,
      };
      const result = await simulateAndSend(hre, auction, "openPeriod", [params], {
        label: "auction:open",
        dryRun: args.dryRun,
      });
      const opened = result.outcome?.events.find((e) => e.name === "PeriodOpened");
      reportSend(args, result, `Opened period ${opened?.args.periodId ?? "(next)"}`);
    }),
  );

interface OrderArgs extends SendArgs {
  period: string;
  energyWh: string;
  price: string;
}

for (const side of ["ask", "bid"] as const) {
  const name = `auction:${side}`;
  withSend(
    task(
      name,
      side === "ask"
        ? "Seller: offer surplus energy at an ask (its minimum price)"
        : "Buyer: request energy at a bid (its maximum price)",
    ),
    "Participant: index or address",
  )
    .addParam("period", "Trading period id")
    .addParam("energyWh", "Energy in Wh")
    .addParam("price", "Price per kWh in currency, a whole tick within the tariffs")
    .setAction(
      cliAction(name, async (args: OrderArgs, hre) => {
        const problems: Problems = [];
        const periodId = parsePeriod(args.period, problems);
        const energyWh = parseIntegerArg("--energy-wh", args.energyWh, problems, { min: 1n, max: UINT64_MAX });
        const price = parseCurrencyArg("--price", args.price, problems, { min: 1n });
        if (problems.length) throw usageError(name, problems);
        const { signer, auction, book } = await openBook(hre, periodId, args.from);
        const invalid = priceProblems(book, price);
        if (book.phase !== "Open" || book.round !== 1)
          invalid.push(`period ${periodId} no longer takes orders (phase ${book.phase}, round ${book.round})`);
        if (invalid.length) throw usageError(name, invalid);
        const result = await simulateAndSend(
          hre,
          auction,
          "placeOrder",
          [periodId, side === "ask" ? 0 : 1, energyWh, price],
          {
            label: name,
            dryRun: args.dryRun,
          },
        );
        reportSend(
          args,
          result,
          `${signer!.address} ${side}s ${energyWh} Wh at ${formatUnits(price)}/kWh in period ${periodId}`,
        );
      }),
    );
}

interface ReviseArgs extends SendArgs {
  period: string;
  price: string;
}

withSend(
  task("auction:revise", "Revise your quote in round 2 or later (never beyond your first quote)"),
  "Participant: index or address",
)
  .addParam("period", "Trading period id")
  .addParam("price", "New price per kWh in currency")
  .setAction(
    cliAction("auction:revise", async (args: ReviseArgs, hre) => {
      const problems: Problems = [];
      const periodId = parsePeriod(args.period, problems);
      const price = parseCurrencyArg("--price", args.price, problems, { min: 1n });
      if (problems.length) throw usageError("auction:revise", problems);
      const { signer, auction, book } = await openBook(hre, periodId, args.from);
      const invalid = priceProblems(book, price);
      if (invalid.length) throw usageError("auction:revise", invalid);
      const result = await simulateAndSend(hre, auction, "revise", [periodId, price], {
        label: "auction:revise",
        dryRun: args.dryRun,
      });
      reportSend(
        args,
        result,
        `${signer!.address} now quotes ${formatUnits(price)}/kWh in period ${periodId} round ${book.round}`,
      );
    }),
  );

interface PeriodArgs extends SendArgs {
  period: string;
}

withSend(task("auction:cancel", "Withdraw your order before the first round closes"), "Participant: index or address")
  .addParam("period", "Trading period id")
  .setAction(
    cliAction("auction:cancel", async (args: PeriodArgs, hre) => {
      const problems: Problems = [];
      const periodId = parsePeriod(args.period, problems);
      if (problems.length) throw usageError("auction:cancel", problems);
      const { signer, auction } = await openBook(hre, periodId, args.from);
      const result = await simulateAndSend(hre, auction, "cancel", [periodId], {
        label: "auction:cancel",
        dryRun: args.dryRun,
      });
      reportSend(args, result, `${signer!.address} cancelled its order in period ${periodId}`);
    }),
  );

withSend(task("auction:close-round", "Close the current round with the off-chain merit order (verified on chain)"))
  .addParam("period", "Trading period id")
  .setAction(
    cliAction("auction:close-round", async (args: PeriodArgs, hre) => {
      const problems: Problems = [];
      const periodId = parsePeriod(args.period, problems);
      if (problems.length) throw usageError("auction:close-round", problems);
      const { auction, book } = await openBook(hre, periodId, args.from);
      const { sellers, buyers } = meritOrderHints(book);
      const result = await simulateAndSend(
        hre,
        auction,
        "closeRound",
        [periodId, sellers, buyers],
        {
          label: "auction:close-round",
          dryRun: args.dryRun,
        },
      );
      const closed = result.outcome?.events.find((e) => e.name === "RoundClosed");
      const ended = result.outcome?.events.some((e) => e.name === "AuctionEnded");
      const price = closed ? formatUnits(closed.args.price as bigint) : "?";
      reportSend(
        args,
        result,
        `Period ${periodId} round ${book.round} closed at ${price}/kWh${ended ? "; the auction has ended" : ""}`,
      );
    }),
  );

interface FinalizeArgs extends SendArgs {
  period: string;
  batch: string;
}

withSend(task("auction:finalize", "Turn the final result into escrow trades, in batches, until done"))
  .addParam("period", "Trading period id")
  .addOptionalParam("batch", "Trades or releases per transaction", "40")
  .setAction(
    cliAction("auction:finalize", async (args: FinalizeArgs, hre) => {
      const problems: Problems = [];
      const periodId = parsePeriod(args.period, problems);
      const batch = parseSmallIntArg("--batch", args.batch, problems, 1, 500);
      if (problems.length) throw usageError("auction:finalize", problems);
      const { auction, book } = await openBook(hre, periodId, args.from);
      if (book.phase === "Finalized") {
        const count = await finalizedTradeCount(auction, periodId);
        if (args.json)
          return printJson({ dryRun: args.dryRun, alreadyFinalized: true, transactions: [], trades: count });
        return console.log(`Period ${periodId} is already finalized (${count} trades). Nothing was sent.`);
      }
      if (book.phase !== "Cleared")
        throw new UserError(`auction:finalize: period ${periodId} is ${book.phase}, not Cleared`);
      const results = await finalizePeriod(hre, auction, book, batch, { dryRun: args.dryRun });
      const trades = matchedTrades(results);
      if (args.json)
        return printJson({ dryRun: args.dryRun, transactions: results, trades: trades.map((t) => t.args) });
      if (args.dryRun) return reportSend(args, results[0], `finalize period ${periodId}`);
      console.log(`Period ${periodId} finalized in ${results.length} transaction(s): ${trades.length} trades`);
      console.log(
        formatTable(
          ["trade", "seller order", "buyer order", "energy Wh", "price/kWh"],
          trades.map((t) => [
            t.args.tradeId,
            t.args.sellerOrder,
            t.args.buyerOrder,
            t.args.energyWh,
            formatUnits(t.args.price as bigint),
          ]),
        ),
      );
    }),
  );

interface ShowArgs extends CommonArgs {
  period: string;
}

withJson(task("auction:show", "The order book of a period as pending orders, plus its round results"))
  .addParam("period", "Trading period id")
  .setAction(
    cliAction("auction:show", async (args: ShowArgs, hre) => {
      const problems: Problems = [];
      const periodId = parsePeriod(args.period, problems);
      if (problems.length) throw usageError("auction:show", problems);
      const { auction, book } = await openBook(hre, periodId);
      const rounds = await readRounds(auction, periodId);
      if (args.json) return printJson({ ...book, params: paramsObject(book), rounds });
      const p = book.params;
      console.log(
        `Period ${periodId}: ${book.phase}, round ${book.round}; tariffs ${formatUnits(p.feedInTariff)}..${formatUnits(
          p.retailTariff,
        )}/kWh, tick ${formatUnits(p.tick)}`,
      );
      console.log(
        formatTable(
          ["order", "participant", "side", "energy Wh", "price/kWh", "first quote", "status"],
          book.orders.map((o) => [
            o.index,
            o.participant,
            o.side,
            o.energyWh,
            formatUnits(o.quote),
            formatUnits(o.firstQuote),
            o.cancelled ? "cancelled" : book.phase === "Open" ? "pending" : book.phase.toLowerCase(),
          ]),
        ),
      );
      if (rounds.length) {
        console.log();
        console.log(
          formatTable(
            ["round", "market", "price/kWh", "marginal order", "marginal Wh", "supply Wh", "demand Wh", "revisions"],
            rounds.map((r) => [
              r.round,
              r.market,
              formatUnits(r.price),
              r.marginalOrder,
              r.marginalAllocationWh,
              r.supplyWh,
              r.demandWh,
              r.revisions,
            ]),
          ),
        );
      }
    }),
  );

interface NashPostArgs extends SendArgs {
  period: string;
  post: boolean;
}

/** The on-chain half of auction:nash; the off-chain half (--scenario) lives in tasks/auctionNash.ts. */
export async function runNashOnChain(args: NashPostArgs, hre: HardhatRuntimeEnvironment): Promise<void> {
  const problems: Problems = [];
  const periodId = parsePeriod(args.period, problems);
  if (!args.post && !args.dryRun) problems.push("--period needs --post (send the revisions) or --dry-run (show them)");
  if (problems.length) throw usageError("auction:nash", problems);
  const { auction, book } = await openBook(hre, periodId, args.from);
  if (args.dryRun && book.phase !== "Open")
    throw new UserError(`auction:nash: period ${periodId} is ${book.phase}; the iteration runs while it is Open`);
  const signers = await hre.ethers.getSigners();
  const plan = planNashPosting(
    book,
    signers.map((s) => s.address),
  );
  if (args.dryRun) {
    if (args.json) return printJson(plan);
    console.log(`Engine: ${plan.status} after ${plan.rounds.length} round(s), price ${formatUnits(plan.price)}/kWh`);
    for (const r of plan.rounds) {
      console.log(
        `round ${r.round}: ${
          r.revisions.map((v) => `order ${v.order} -> ${formatUnits(v.price)}`).join(", ") || "no revisions"
        }`,
      );
    }
    if (plan.uncontrolled.length) console.log(`Not ours to sign (skipped): orders ${plan.uncontrolled.join(", ")}`);
    return;
  }
  const outcome = await postNashPlan(hre, auction, periodId, plan);
  if (args.json) return printJson(outcome);
  const { phase, round } = outcome.startedAt;
  if (phase === "Finalized") {
    return console.log(
      `Period ${periodId} is already finalized: ${outcome.trades} trades at ${formatUnits(
        outcome.price,
      )}/kWh. Nothing was sent.`,
    );
  }
  if (phase !== "Open" || round > 1) console.log(`Resuming period ${periodId}: it was ${phase} in round ${round}`);
  console.log(
    `Period ${periodId}: ${outcome.roundsClosed} round(s) closed on chain, ${
      outcome.revisionsSent
    } revision(s) sent, final price ${formatUnits(outcome.price)}/kWh, ${outcome.trades} trades`,
  );
}
