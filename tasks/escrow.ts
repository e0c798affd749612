import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { isCurrencyText, parseCurrencyArg, parseIntegerArg, parseSmallIntArg, type Problems } from "../src/cli/args";
import { UserError, usageError } from "../src/cli/errors";
import { formatFields, formatTable, formatTimestamp, formatTokenAmount, printJson } from "../src/cli/output";
import { reportSend, reportSteps, type SendStep } from "../src/cli/report";
import { cliAction, ensureCompiled, withJson, withSend, type CommonArgs, type SendArgs } from "../src/cli/task";
import {
  LOCAL_CHAIN_IDS,
  escrowContext,
  findDueTrades,
  listTrades,
  readBalance,
  readReadings,
  readSettlement,
  readTotals,
  readTrade,
  testTokenAt,
  type EscrowContext,
} from "../src/chain/escrow";
import { simulateAndSend, type SendResult } from "../src/chain/send";
import { resolveAccount, resolveSigner } from "../src/chain/signers";
import { previewSettlement, tradePhase, type TradePhase, type TradeRecord } from "../src/core/settlement";

/**
 * Money and trades in the escrow: test-token minting (local chains), deposits, withdrawals, balances, the reward
 * pool, trade inspection and settlement. Every sending task validates its flags, then checks the chain state it
 * depends on, then simulates (reverts decoded by name), and only then sends; --dry-run stops before sending.
 */

interface AmountArgs extends SendArgs {
  amount: string;
}

function amountTextProblems(flag: string, value: unknown): Problems {
  const text = typeof value === "string" ? value.trim() : String(value ?? "");
  return isCurrencyText(text)
    ? []
    : [`${flag} must be a decimal amount such as 12.5 (got ${JSON.stringify(value ?? "")})`];
}

async function prepare(hre: HardhatRuntimeEnvironment, from: string) {
  await ensureCompiled(hre);
  const signer = await resolveSigner(hre, from);
  return { signer, ctx: await escrowContext(hre, signer) };
}

function money(ctx: EscrowContext, units: bigint): string {
  return formatTokenAmount(units, ctx.decimals, ctx.symbol);
}

async function latestTimestamp(hre: HardhatRuntimeEnvironment): Promise<bigint> {
  const block = await hre.ethers.provider.getBlock("latest");
  return BigInt(block?.timestamp ?? 0);
}

/**
 * Approves the escrow when the allowance is short, then calls `method`. On a dry run with a short allowance the
 * call cannot be simulated (it depends on the approval), so it is returned as planned only (no outcome, and
 * `simulated` false).
 */
async function approveThenCall(
  hre: HardhatRuntimeEnvironment,
  ctx: EscrowContext,
  owner: string,
  amount: bigint,
  method: "deposit" | "depositFor" | "fundRewards",
  callArgs: readonly unknown[],
  { label, dryRun }: { label: string; dryRun: boolean },
): Promise<{ approval: SendStep | null; call: SendResult; simulated: boolean }> {
  const escrowAddress = await ctx.escrow.getAddress();
  const balance = await ctx.token.balanceOf(owner);
  if (balance < amount) {
    throw new UserError(
      `${label}: ${owner} holds ${money(ctx, balance)} in its wallet, less than ${money(
        ctx,
        amount,
      )}. Nothing was sent.`,
    );
  }
  let approval: SendStep | null = null;
  if ((await ctx.token.allowance(owner, escrowAddress)) < amount) {
    const result = await simulateAndSend(hre, ctx.token, "approve", [escrowAddress, amount], {
      label: `${label} (approve)`,
      dryRun,
    });
    approval = { result, summary: `Approved the escrow to take ${money(ctx, amount)} from ${owner}` };
    if (dryRun) {
      return { approval, call: { plan: { to: escrowAddress, from: owner, method, args: callArgs } }, simulated: false };
    }
  }
  const call = await simulateAndSend(hre, ctx.escrow, method, callArgs, { label, dryRun });
  return { approval, call, simulated: true };
}

function withApproval(approval: SendStep | null, step: SendStep, simulated: boolean): SendStep[] {
  const last = simulated ? step : { ...step, summary: `${step.summary} (not simulated: it needs the approval first)` };
  return approval ? [approval, last] : [last];
}

function creditedBy(call: SendResult, event: "Deposited" | "RewardsFunded"): bigint | null {
  const found = call.outcome?.events.find((e) => e.name === event);
  return found ? (found.args.amountCredited as bigint) : null;
}

// ------------------------------------------------------------------------------------------ token:mint

interface MintArgs extends AmountArgs {
  to: string;
}

withSend(task("token:mint", "Mint test gEUR to an account (local chains only)"), "Minter account")
  .addParam("to", "Recipient: address or account index")
  .addParam("amount", "Amount in currency units, e.g. 100 or 12.5")
  .setAction(
    cliAction("token:mint", async (args: MintArgs, hre) => {
      const problems = amountTextProblems("--amount", args.amount);
      if (!args.to) problems.push("--to is required");
      if (problems.length) throw usageError("token:mint", problems);
      const chainId = (await hre.ethers.provider.getNetwork()).chainId;
      if (!LOCAL_CHAIN_IDS.includes(chainId)) {
        throw new UserError(
          `token:mint runs only on local chains (chain ids ${LOCAL_CHAIN_IDS.join(", ")}); network "${
            hre.network.name
          }" ` +
            `is chain ${chainId}, where the settlement token is a real ERC-20 that is not minted from here. Nothing was sent.`,
        );
      }
      const { signer, ctx } = await prepare(hre, args.from);
      const amount = parseCurrencyArg("--amount", args.amount, problems, { decimals: ctx.decimals, min: 1n });
      const to = await resolveAccount(hre, args.to, "--to");
      if (problems.length) throw usageError("token:mint", problems);
      const token = await testTokenAt(hre, signer);
      const result = await simulateAndSend(hre, token, "mint", [to, amount], {
        label: "token:mint",
        dryRun: args.dryRun,
      });
      reportSend(args, result, `Minted ${money(ctx, amount)} to ${to}`);
    }),
  );

// ------------------------------------------------------------------------------------------ deposits

interface DepositArgs extends AmountArgs {
  for?: string;
}

withSend(task("escrow:deposit", "Deposit tokens into the escrow (approves the escrow first when needed)"), "Payer")
  .addParam("amount", "Amount in currency units, e.g. 50 or 12.5")
  .addOptionalParam("for", "Credit this account instead of the payer (address or account index)")
  .setAction(
    cliAction("escrow:deposit", async (args: DepositArgs, hre) => {
      const problems = amountTextProblems("--amount", args.amount);
      if (problems.length) throw usageError("escrow:deposit", problems);
      const { signer, ctx } = await prepare(hre, args.from);
      const amount = parseCurrencyArg("--amount", args.amount, problems, { decimals: ctx.decimals, min: 1n });
      if (problems.length) throw usageError("escrow:deposit", problems);
      const beneficiary = args.for ? await resolveAccount(hre, args.for, "--for") : signer.address;
      const method = args.for ? "depositFor" : "deposit";
      const callArgs = args.for ? [beneficiary, amount] : [amount];
      const { approval, call, simulated } = await approveThenCall(hre, ctx, signer.address, amount, method, callArgs, {
        label: "escrow:deposit",
        dryRun: args.dryRun,
      });
      const credited = creditedBy(call, "Deposited");
      const summary =
        `Deposited ${money(ctx, amount)} for ${beneficiary}` +
        (credited !== null && credited !== amount ? `; the token delivered ${money(ctx, credited)}` : "");
      reportSteps(args, withApproval(approval, { result: call, summary }, simulated), {
        account: beneficiary,
        amount,
        credited,
      });
    }),
  );

withSend(task("escrow:withdraw", "Withdraw free escrow funds to the --from account"), "Account withdrawing")
  .addParam("amount", "Amount in currency units")
  .setAction(
    cliAction("escrow:withdraw", async (args: AmountArgs, hre) => {
      const problems = amountTextProblems("--amount", args.amount);
      if (problems.length) throw usageError("escrow:withdraw", problems);
      const { signer, ctx } = await prepare(hre, args.from);
      const amount = parseCurrencyArg("--amount", args.amount, problems, { decimals: ctx.decimals, min: 1n });
      if (problems.length) throw usageError("escrow:withdraw", problems);
      const balance = await readBalance(ctx.escrow, signer.address);
      if (balance.free < amount) {
        throw new UserError(
          `escrow:withdraw: ${signer.address} has ${money(ctx, balance.free)} free ` +
            `(${money(ctx, balance.locked)} locked in orders and trades), less than ${money(
              ctx,
              amount,
            )}. Nothing was sent.`,
        );
      }
      const result = await simulateAndSend(hre, ctx.escrow, "withdraw", [amount], {
        label: "escrow:withdraw",
        dryRun: args.dryRun,
      });
      reportSend(args, result, `Withdrew ${money(ctx, amount)} to ${signer.address}`);
    }),
  );

interface BalanceArgs extends CommonArgs {
  account: string;
}

withJson(task("escrow:balance", "Show an account's wallet and escrow balances, and the escrow's totals"))
  .addOptionalParam("account", "Account: address or account index", "0")
  .setAction(
    cliAction("escrow:balance", async (args: BalanceArgs, hre) => {
      await ensureCompiled(hre);
      const ctx = await escrowContext(hre);
      const account = await resolveAccount(hre, args.account, "--account");
      const [balance, wallet, totals] = await Promise.all([
        readBalance(ctx.escrow, account),
        ctx.token.balanceOf(account),
        readTotals(ctx.escrow, ctx.token),
      ]);
      const solvent = totals.tokenBalance >= totals.totalFree + totals.totalLocked + totals.rewardPool;
      if (args.json)
        return printJson({ ...balance, wallet, decimals: ctx.decimals, symbol: ctx.symbol, totals, solvent });
      const lines: [string, string][] = [
        ["account", account],
        ["wallet", money(ctx, wallet)],
        ["escrow free", money(ctx, balance.free)],
        ["escrow locked", money(ctx, balance.locked)],
        ["escrow holds", money(ctx, totals.tokenBalance)],
        ["  all free", money(ctx, totals.totalFree)],
        ["  all locked", money(ctx, totals.totalLocked)],
        ["  reward pool", money(ctx, totals.rewardPool)],
      ];
      console.log(formatFields(lines));
      if (!solvent) console.log("WARNING: the escrow holds less than it owes");
    }),
  );

withSend(task("reward:fund", "Pay into the honesty-reward pool (approves the escrow first when needed)"), "Funder")
  .addParam("amount", "Amount in currency units")
  .setAction(
    cliAction("reward:fund", async (args: AmountArgs, hre) => {
      const problems = amountTextProblems("--amount", args.amount);
      if (problems.length) throw usageError("reward:fund", problems);
      const { signer, ctx } = await prepare(hre, args.from);
      const amount = parseCurrencyArg("--amount", args.amount, problems, { decimals: ctx.decimals, min: 1n });
      if (problems.length) throw usageError("reward:fund", problems);
      const { approval, call, simulated } = await approveThenCall(
        hre,
        ctx,
        signer.address,
        amount,
        "fundRewards",
        [amount],
        { label: "reward:fund", dryRun: args.dryRun },
      );
      const credited = creditedBy(call, "RewardsFunded");
      const summary = `Added ${money(ctx, credited ?? amount)} to the reward pool`;
      reportSteps(args, withApproval(approval, { result: call, summary }, simulated), { amount, credited });
    }),
  );

// ------------------------------------------------------------------------------------------ trades

const PHASE_TEXT: Record<TradePhase, string> = {
  unknown: "does not exist",
  "before-delivery": "waiting for delivery to start",
  delivering: "delivering",
  "awaiting-readings": "delivery over, waiting for meter readings",
  settleable: "ready to settle (both readings in)",
  due: "past its settlement deadline: anyone may settle it",
  settled: "settled",
};

async function tradeView(hre: HardhatRuntimeEnvironment, ctx: EscrowContext, id: bigint) {
  const [trade, readings, settlement, now] = await Promise.all([
    readTrade(ctx.escrow, id),
    readReadings(ctx.escrow, id),
    readSettlement(ctx.escrow, id),
    latestTimestamp(hre),
  ]);
  const phase = tradePhase(trade, readings.provider !== null && readings.user !== null, now);
  const preview = trade.status === "Open" ? previewSettlement(trade, readings.provider, readings.user) : null;
  return { trade, readings, settlement, phase, now, preview };
}

function parseTradeId(value: unknown, problems: Problems): bigint {
  return parseIntegerArg("--id", value, problems, { min: 1n });
}

async function requireTrade(ctx: EscrowContext, label: string, id: bigint): Promise<void> {
  const count = await ctx.escrow.tradeCount();
  if (id > count) {
    const range = count === 0n ? "no trade has been created yet" : `trades are numbered 1..${count}`;
    throw new UserError(`${label}: trade ${id} does not exist (${range}). Nothing was sent.`);
  }
}

interface IdArgs extends CommonArgs {
  id: string;
}

withJson(task("trade:show", "Show a trade: terms, meter readings, and its settlement or what settling now would do"))
  .addParam("id", "Trade id")
  .setAction(
    cliAction("trade:show", async (args: IdArgs, hre) => {
      const problems: Problems = [];
      const id = parseTradeId(args.id, problems);
      if (problems.length) throw usageError("trade:show", problems);
      await ensureCompiled(hre);
      const ctx = await escrowContext(hre);
      await requireTrade(ctx, "trade:show", id);
      const view = await tradeView(hre, ctx, id);
      if (args.json) return printJson(view);
      const { trade: t, readings, settlement, preview } = view;
      const side = (r: typeof readings.provider) => (r ? `${r.energyWh} Wh (sequence ${r.sequence})` : "silent so far");
      const lines: [string, unknown][] = [
        ["trade", `${t.id}: ${PHASE_TEXT[view.phase]}`],
        ["market", t.market],
        ["seller", t.seller],
        ["buyer", t.buyer],
        ["period", t.period],
        ["energy", `${t.energyWh} Wh at ${money(ctx, t.pricePerKwh)}/kWh`],
        ["prepayment", money(ctx, t.prepayment)],
        ["margins", `seller ${money(ctx, t.sellerMargin)}, buyer ${money(ctx, t.buyerMargin)}`],
        ["delivery", `${formatTimestamp(t.deliveryStart)} .. ${formatTimestamp(t.deliveryEnd)}`],
        ["deadline", formatTimestamp(t.settlementDeadline)],
        ["tolerance", `${t.lossToleranceBps} bps, reward ${money(ctx, t.reward)}`],
        ["provider meter", side(readings.provider)],
        ["user meter", side(readings.user)],
      ];
      if (settlement) {
        lines.push(
          ["settled", formatTimestamp(settlement.settledAt)],
          ["rho / gamma", `${settlement.providerWh} Wh / ${settlement.userWh} Wh`],
          [
            "defaults",
            `provider ${settlement.providerDefaulted ? "yes" : "no"}, user ${settlement.userDefaulted ? "yes" : "no"}`,
          ],
          ["seller paid", money(ctx, settlement.sellerPayment)],
          ["buyer refund", money(ctx, settlement.buyerRefund)],
          ["reward", `${money(ctx, settlement.rewardPaid)} paid, ${money(ctx, settlement.rewardUnpaid)} owed`],
        );
      } else if (preview) {
        lines.push(
          [
            "if settled now",
            `seller paid ${money(ctx, preview.sellerPayment)}, buyer refund ${money(ctx, preview.buyerRefund)}`,
          ],
          ["", `reward due ${money(ctx, preview.rewardDue)}, delivered ${preview.deliveredWh} Wh`],
        );
      }
      console.log(formatFields(lines));
    }),
  );

const STATUS_FILTERS = ["all", "open", "settled", "due"] as const;
type StatusFilter = (typeof STATUS_FILTERS)[number];

interface ListArgs extends CommonArgs {
  offset: string;
  limit: string;
  status: string;
}

withJson(task("trade:list", "List trades page by page"))
  .addOptionalParam("offset", "How many trades to skip (ids start at 1)", "0")
  .addOptionalParam("limit", "How many trades at most", "100")
  .addOptionalParam("status", "all, open, settled or due (open and past the deadline)", "all")
  .setAction(
    cliAction("trade:list", async (args: ListArgs, hre) => {
      const problems: Problems = [];
      const offset = parseIntegerArg("--offset", args.offset, problems);
      const limit = parseIntegerArg("--limit", args.limit, problems, { min: 1n, max: 10_000n });
      const status = String(args.status ?? "all").toLowerCase() as StatusFilter;
      if (!STATUS_FILTERS.includes(status)) problems.push(`--status must be one of ${STATUS_FILTERS.join(", ")}`);
      if (problems.length) throw usageError("trade:list", problems);
      await ensureCompiled(hre);
      const ctx = await escrowContext(hre);
      const now = await latestTimestamp(hre);
      const keep = (t: TradeRecord) =>
        status === "all" ||
        (status === "open" && t.status === "Open") ||
        (status === "settled" && t.status === "Settled") ||
        (status === "due" && t.status === "Open" && now >= t.settlementDeadline);
      const trades = (await listTrades(ctx.escrow, { offset, limit })).filter(keep);
      if (args.json) return printJson({ total: await ctx.escrow.tradeCount(), offset, status, trades });
      console.log(
        formatTable(
          ["id", "status", "seller", "buyer", "period", "energy Wh", "price/kWh", "deadline"],
          trades.map((t) => [
            t.id,
            t.status === "Open" && now >= t.settlementDeadline ? "Due" : t.status,
            t.seller,
            t.buyer,
            t.period,
            t.energyWh,
            money(ctx, t.pricePerKwh),
            formatTimestamp(t.settlementDeadline),
          ]),
        ),
      );
    }),
  );

interface SettleArgs extends SendArgs {
  id: string;
}

withSend(task("settle", "Settle a trade (anyone may, once both readings are in after delivery, or after the deadline)"))
  .addParam("id", "Trade id")
  .setAction(
    cliAction("settle", async (args: SettleArgs, hre) => {
      const problems: Problems = [];
      const id = parseTradeId(args.id, problems);
      if (problems.length) throw usageError("settle", problems);
      const { ctx } = await prepare(hre, args.from);
      await requireTrade(ctx, "settle", id);
      const view = await tradeView(hre, ctx, id);
      if (view.phase === "settled") throw new UserError(`settle: trade ${id} is already settled. Nothing was sent.`);
      if (view.phase !== "settleable" && view.phase !== "due") {
        const t = view.trade;
        throw new UserError(
          `settle: trade ${id} cannot be settled yet: it is ${
            PHASE_TEXT[view.phase]
          }. It settles once delivery has ended ` +
            `(${formatTimestamp(t.deliveryEnd)}) with both meter readings in (provider: ` +
            `${view.readings.provider ? "in" : "missing"}, user: ${
              view.readings.user ? "in" : "missing"
            }), or by anyone ` +
            `from its deadline ${formatTimestamp(t.settlementDeadline)}. Nothing was sent.`,
        );
      }
      const result = await simulateAndSend(hre, ctx.escrow, "settle", [id], { label: "settle", dryRun: args.dryRun });
      const settled = result.outcome?.events.find((e) => e.name === "TradeSettled")?.args;
      const p = view.preview!;
      reportSend(
        args,
        result,
        settled
          ? `Settled trade ${id}: seller paid ${money(ctx, settled.sellerPayment as bigint)}, ` +
              `buyer refunded ${money(ctx, settled.buyerRefund as bigint)}`
          : `Settle trade ${id} (expected: seller paid ${money(ctx, p.sellerPayment)}, buyer refunded ${money(
              ctx,
              p.buyerRefund,
            )})`,
      );
    }),
  );

interface DueArgs extends SendArgs {
  batch: string;
}

withSend(task("settle:due", "Settle every trade past its settlement deadline, in bounded batches"))
  .addOptionalParam("batch", "Trades per transaction (1..50)", "20")
  .setAction(
    cliAction("settle:due", async (args: DueArgs, hre) => {
      const problems: Problems = [];
      const maxBatch = 50;
      const batch = parseSmallIntArg("--batch", args.batch, problems, 1, maxBatch);
      if (problems.length) throw usageError("settle:due", problems);
      const { ctx } = await prepare(hre, args.from);
      const due = await findDueTrades(ctx.escrow);
      const steps: SendStep[] = [];
      // Bound: ceil(due / batch) transactions.
      for (let i = 0; i < due.length; i += batch) {
        const ids = due.slice(i, i + batch);
        const result = await simulateAndSend(hre, ctx.escrow, "settleBatch", [ids], {
          label: `settle:due (trades ${ids.join(", ")})`,
          dryRun: args.dryRun,
        });
        steps.push({ result, summary: `Settled trades ${ids.join(", ")}` });
      }
      if (!args.json && due.length === 0) return console.log("No open trade is past its settlement deadline.");
      reportSteps(args, steps, { due });
    }),
  );
