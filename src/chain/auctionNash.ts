import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { DoubleAuction } from "../../typechain-types";
import { solveNash, type NashStatus } from "../core/auction/nash";
import { UserError } from "../cli/errors";
import { finalizePeriod, matchedTrades, meritOrderHints, nashMarketOf, readBook, type Book } from "./auction";
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
  readonly roundsClosed: number;
  readonly revisionsSent: number;
  readonly price: bigint;
  readonly trades: number;
}

/**
 * Sends a plan: closes round 1, then per round the revisions (each signed by its participant) and
 * the close; one more close without revisions ends the auction; finalize creates the trades.
 * The caller's auction handle signs the closes (the operator may close early).
 */
export async function postNashPlan(
  hre: HardhatRuntimeEnvironment,
  auction: DoubleAuction,
  book: Book,
  plan: NashPostingPlan,
  finalizeBatch = 40,
): Promise<NashPostingOutcome> {
  if (book.round !== 1)
    throw new UserError(`auction:nash --post starts at round 1; period ${book.periodId} is in round ${book.round}`);
  const periodId = book.periodId;
  const signers = new Map((await hre.ethers.getSigners()).map((s) => [s.address.toLowerCase(), s]));
  let roundsClosed = 0;
  let revisionsSent = 0;

  const close = async () => {
    const current = await readBook(auction, periodId);
    const { sellers, buyers } = meritOrderHints(current);
    const sent = await simulateAndSend(
      hre,
      auction,
      "closeRound",
      [periodId, sellers, buyers],
      {
        label: `auction:nash close round ${current.round}`,
      },
    );
    roundsClosed++;
    return sent.outcome!.events.some((e) => e.name === "AuctionEnded");
  };

  let ended = await close();
  for (const round of plan.rounds) {
    if (ended) break;
    for (const revision of round.revisions) {
      const signer = signers.get(revision.participant.toLowerCase())!;
      await simulateAndSend(hre, auction.connect(signer) as DoubleAuction, "revise", [periodId, revision.price], {
        label: `auction:nash revise order ${revision.order}`,
      });
      revisionsSent++;
    }
    ended = await close();
  }
  // Bound: the contract ends the auction at its round limit at the latest.
  for (let extra = 0; !ended && extra < 2; extra++) ended = await close();
  if (!ended)
    throw new UserError(`period ${periodId} did not end after the plan; close it again with auction:close-round`);

  const finalBook = await readBook(auction, periodId);
  const trades = matchedTrades(
    await finalizePeriod(hre, auction, finalBook, finalizeBatch, { label: "auction:nash finalize" }),
  ).length;
  const result = await auction.result(periodId);
  return { roundsClosed, revisionsSent, price: result.price, trades };
}
