import type { Interface } from "ethers";
import { GRID } from "../../../src/core/matching";
import { meritOf, reputationRefusal } from "./actions";
import { checkProbe, fullQuery } from "./invariants";
import { lower } from "./model";
import { execute, travelTo, type Ctx } from "./runner";
import { probe } from "./world";

const enc = (c: { interface: unknown }, fn: string, args: readonly unknown[]) =>
  (c.interface as Interface).encodeFunctionData(fn, args);

/**
 * The end of every sequence: everything anyone can still do to release funds is done, in the order that
 * leaves no one stuck (auctions need no clock, cycles need their submission window closed, trades their
 * deadline), every participant then withdraws all it is owed, and the escrow must hold exactly the reward
 * pool, with nothing locked, no trade open, every period and cycle finalized.
 */
export async function drain(ctx: Ctx): Promise<void> {
  const { w, m, checks } = ctx;
  for (const p of m.periods) {
    for (let guard = 0; p.phase === 1 && guard <= p.maxRounds; guard++) {
      const merit = meritOf(p);
      await execute(ctx, {
        kind: "drain:closeRound", label: `drain: closeRound(period ${p.id})`, from: w.operator, to: w.addresses.auction,
        data: enc(w.auction, "closeRound", [p.id, merit.sellers, merit.buyers]), expect: true, hints: { periods: [p.id] },
        submitted: { merit },
      });
    }
    for (let guard = 0; p.phase === 2 && guard < 4; guard++) {
      await execute(ctx, {
        kind: "drain:finalizeAuction", label: `drain: finalize(period ${p.id})`, from: w.stranger, to: w.addresses.auction,
        data: enc(w.auction, "finalize", [p.id, p.merit!.sellers, p.merit!.buyers, 64]), expect: true, hints: { periods: [p.id] },
      });
    }
  }
  const open = m.cycles.filter((cy) => !cy.finalized);
  if (open.length) await travelTo(ctx, open.reduce((t, cy) => (cy.submissionEnds > t ? cy.submissionEnds : t), 0n) + 1n, "drain:time");
  for (const cy of open) {
    const assignment = cy.best ? cy.best.assignment : cy.requests.map(() => GRID);
    await execute(ctx, {
      kind: "drain:finalizeCycle", label: `drain: finalize(cycle ${cy.id})`, from: w.stranger, to: w.addresses.matching,
      data: enc(w.matching, "finalize", [cy.id, assignment, 600]), expect: true,
    });
  }
  const openTrades = () => m.trades.filter((t) => t.status === 1);
  if (openTrades().length) {
    const last = openTrades().reduce((t, x) => (x.terms!.settlementDeadline > t ? x.terms!.settlementDeadline : t), 0n);
    await travelTo(ctx, last + 1n, "drain:time");
  }
  for (let ids = openTrades().map((t) => t.id); ids.length; ids = openTrades().map((t) => t.id)) {
    const batch = ids.slice(0, 50);
    await execute(ctx, {
      kind: "drain:settleBatch", label: `drain: settleBatch(${batch.length} trades)`, from: w.stranger, to: w.addresses.escrow,
      data: enc(w.escrow, "settleBatch", [batch]), expect: true, hints: { trades: batch },
    });
  }
  for (const cy of m.cycles) {
    if (cy.applied) continue;
    const refusal = reputationRefusal(m, cy);
    await execute(ctx, {
      kind: "drain:updateReputation", label: `drain: updateReputation(cycle ${cy.id})`, from: w.stranger,
      to: w.addresses.matching, data: enc(w.matching, "updateReputation", [cy.id]), expect: refusal === null,
    });
  }
  // the operator refills the pool with what is owed, so every unpaid reward can be claimed
  const owed = m.trades.reduce((sum, t) => sum + t.unpaid, 0n);
  if (owed > m.totals.rewardPool) {
    await execute(ctx, {
      kind: "drain:fundRewards", label: `drain: fundRewards(${owed})`, from: w.operator, to: w.addresses.escrow,
      data: enc(w.escrow, "fundRewards", [owed - m.totals.rewardPool]), expect: true,
    });
  }
  for (const t of m.trades) {
    if (t.unpaid === 0n) continue;
    await execute(ctx, {
      kind: "drain:claimReward", label: `drain: claimReward(trade ${t.id})`, from: w.stranger, to: w.addresses.escrow,
      data: enc(w.escrow, "claimReward", [t.id]), expect: true, hints: { trades: [t.id] },
    });
  }
  for (const account of w.accounts) {
    const free = m.balances.get(lower(account))!.free;
    if (free === 0n) continue;
    const events = await execute(ctx, {
      kind: "drain:withdraw", label: `drain: withdraw(${account}, ${free})`, from: account, to: w.addresses.escrow,
      data: enc(w.escrow, "withdraw", [free]), expect: true,
    });
    const paid = events!.find((e) => e.contract === "token" && e.name === "Transfer");
    checks.that(paid !== undefined && BigInt(paid.args.value) === free && lower(paid.args.to) === lower(account),
      "every participant withdraws everything it is owed");
  }
  // the whole state, read once more and compared with the model and with what the escrow must hold now
  checks.label = "the end of the sequence";
  const q = fullQuery(w, m);
  const p = await probe(w, q);
  checkProbe(w, m, q, p, false, checks);
  checks.that(p.totalLocked === 0n && p.totalFree === 0n && p.tokenBalance === p.rewardPool,
    "after all deadlines the escrow holds exactly the reward pool, nothing locked or owed",
    () => `balance ${p.tokenBalance}, free ${p.totalFree}, locked ${p.totalLocked}, pool ${p.rewardPool}`);
  checks.that(p.accounts.every((b) => b.free === 0n && b.locked === 0n) && p.locks.every((l) => l === 0n), "every account is paid out");
  checks.that(p.trades.every((s) => s === 2), "every trade is settled");
  checks.that(m.trades.every((t) => t.unpaid === 0n), "every honesty reward is paid");
  checks.that(p.periods.every((x) => x.phase === 3), "every period is finalized");
  checks.that(m.cycles.every((cy) => cy.finalized), "every cycle is finalized");
}
