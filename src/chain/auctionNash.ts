import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DoubleAuction } from "../../typechain-types";
import { solveNash, type NashStatus } from "../core/auction/nash";
import { UserError } from "../cli/errors";
import { finalizePeriod, finalizedTradeCount, meritOrderHints, nashMarketOf, readBook, type Book } from "./auction";
import { simulateAndSend } from "./send";

export interface PlannedRevision {
  readonly order: number;
  readonly participant: string;
  readonly price: bigint;
}

export interface NashPostingPlan {
  readonly status: NashStatus;
  readonly price: bigint;
  /** Chain rounds 2.. with the revisions to send in each (engine round k = chain round k). */
  readonly rounds: readonly { readonly round: number; readonly revisions: readonly PlannedRevision[] }[];
  /** Orders whose revisions the engine wants but whose participants are not among our accounts. */
  readonly uncontrolled: readonly number[];
}

/**
 * Runs the Nash iteration on a period's book and lays out, round by round, the revisions to send.
 * Round 1 of the engine is the book itself (everyone at its first quote), so revisions start at round 2.
 */
export function planNashPosting(book: Book, ourAccounts: readonly string[]): NashPostingPlan {
  const market = nashMarketOf(book);
  const result = solveNash(market);
  const ours = new Set(ourAccounts.map((a) => a.toLowerCase()));
  const byId = new Map(book.orders.map((o) => [String(o.index), o]));
  const uncontrolled = new Set<number>();
  const rounds = result.rounds.slice(1).map((round) => {
    const revisions: PlannedRevision[] = [];
    for (const change of round.quoteChanges) {
      const order = byId.get(market.participants[change.index].id)!;
      if (!ours.has(order.participant.toLowerCase())) {
        uncontrolled.add(order.index);
        continue;
      }
      revisions.push({ order: order.index, participant: order.participant, price: change.value });
    }
    return { round: round.round, revisions };
  });
  return { status: result.status, price: result.price, rounds, uncontrolled: [...uncontrolled].sort((a, b) => a - b) };
}

export interface NashPostingOutcome {
  /** Where the period stood when this run began: a crashed run resumes from any phase and round. */
  readonly startedAt: { readonly phase: Book["phase"]; readonly round: number };
  readonly roundsClosed: number;
  readonly revisionsSent: number;
  readonly finalizeTransactions: number;
  readonly price: bigint;
  /** Trades of the period on chain (also those a previous run created). */
  readonly trades: number;
}

/** What the plan wants each of our orders to quote once the revisions of chain round `round` are in. */
function plannedQuotes(plan: NashPostingPlan, round: number): Map<number, bigint> {
  const quotes = new Map<number, bigint>();
  for (const planned of plan.rounds) {
    if (planned.round > round) break;
    for (const revision of planned.revisions) quotes.set(revision.order, revision.price);
  }
  return quotes;
}

/**
 * The revisions still missing in the period's current round: planned quotes that our orders do not hold
 * on chain yet. Comparing with the chain, not with what an earlier run sent, makes a re-run after a crash
 * (of the task, or of a node that lost its last blocks) send exactly what is left, and nothing twice.
 */
export function missingRevisions(book: Book, plan: NashPostingPlan): PlannedRevision[] {
  if (book.phase !== "Open" || book.round < 2) return [];
  const missing: PlannedRevision[] = [];
  for (const [order, price] of plannedQuotes(plan, book.round)) {
    const onChain = book.orders[order];
    if (!onChain.cancelled && onChain.quote !== price) missing.push({ order, participant: onChain.participant, price });
  }
  return missing.sort((a, b) => a.order - b.order);
}

/**
 * Brings a period to the end of a plan from wherever the chain stands: in each open round it sends the
 * missing revisions (each signed by its participant) and closes the round; a round without revisions after
 * round 1 ends the auction; finalize then creates the trades in resumable batches. A finalized period needs
 * nothing. The caller's auction handle signs the closes (the operator may close early).
 */
export async function postNashPlan(
  hre: HardhatRuntimeEnvironment,
  auction: DoubleAuction,
  periodId: bigint,
  plan: NashPostingPlan,
  finalizeBatch = 40,
): Promise<NashPostingOutcome> {
  const signers = new Map((await hre.ethers.getSigners()).map((s) => [s.address.toLowerCase(), s]));
  let book = await readBook(auction, periodId);
  const startedAt = { phase: book.phase, round: book.round };
  let roundsClosed = 0;
  let revisionsSent = 0;

  // Bound: each pass closes a round, and the contract ends the auction at its round limit at the latest.
  for (let pass = 0; book.phase === "Open" && pass <= Number(book.params.maxRounds); pass++) {
    for (const revision of missingRevisions(book, plan)) {
      const signer = signers.get(revision.participant.toLowerCase())!;
      await simulateAndSend(hre, auction.connect(signer) as DoubleAuction, "revise", [periodId, revision.price], {
        label: `auction:nash revise order ${revision.order}`,
      });
      revisionsSent++;
    }
    const current = await readBook(auction, periodId);
    const { sellers, buyers } = meritOrderHints(current);
    await simulateAndSend(hre, auction, "closeRound", [periodId, sellers, buyers], {
      label: `auction:nash close round ${current.round}`,
    });
    roundsClosed++;
    book = await readBook(auction, periodId);
  }
  if (book.phase === "Open")
    throw new UserError(`period ${periodId} did not end after the plan; close it again with auction:close-round`);

  const finalizeTransactions =
    book.phase === "Cleared"
      ? (await finalizePeriod(hre, auction, book, finalizeBatch, { label: "auction:nash finalize" })).length
      : 0;
  const result = await auction.result(periodId);
  const trades = (await finalizedTradeCount(auction, periodId)) ?? 0;
  return { startedAt, roundsClosed, revisionsSent, finalizeTransactions, price: result.price, trades };
}
