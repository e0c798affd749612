import hre from "hardhat";
import { applyEvents, checkProbe, queryFor, type Checks } from "./invariants";
import type { Model } from "./model";
import { probe, send, type Event, type Query, type World } from "./world";

const PANIC = "Panic";

export const profile = { send: 0, probe: 0, total: 0 };

/** ok / reverted per action kind, for the figures the test prints. */
export type Stats = Map<string, { ok: number; reverted: number }>;

export interface Ctx {
  readonly w: World;
  readonly m: Model;
  readonly checks: Checks;
  readonly stats: Stats;
}

/**
 * One transaction of an action. expect: true = must succeed, false = must be refused (with one of `errors`
 * when given), null = either (the outcome depends on something the model does not predict exactly).
 */
export interface Tx {
  readonly kind: string;
  readonly label: string;
  readonly from: string;
  readonly to: string;
  readonly data: string;
  readonly expect: boolean | null;
  readonly errors?: readonly string[];
  /** Accounts, periods, trades and devices the action names: read back even when it reverts. */
  readonly hints?: Partial<Query>;
  readonly submitted?: Model["submitted"];
}

/**
 * Sends one transaction, then checks: the expected outcome; a revert carries a named custom error of the
 * project (never a Panic, never empty); the events against the model and the twins; the chain's state
 * against the model (the probe). Returns the events (empty when it reverted).
 */
export async function execute(ctx: Ctx, tx: Tx): Promise<readonly Event[] | null> {
  const { w, m, checks } = ctx;
  checks.label = tx.label;
  m.submitted = tx.submitted ?? {};
  const t0 = performance.now();
  const out = await send(w, tx.from, tx.to, tx.data);
  profile.send += performance.now() - t0;
  const stat = ctx.stats.get(tx.kind) ?? { ok: 0, reverted: 0 };
  ctx.stats.set(tx.kind, stat);
  let events: readonly Event[] = [];
  if (process.env.FUZZ_TRACE) console.log(`        ${tx.label}: ${out.ok ? "ok" : out.error?.name}`);
  if (out.ok) {
    stat.ok += 1;
    checks.that(tx.expect !== false, "a bad action is refused", () => "it succeeded");
    events = out.events;
    const created = applyEvents(w, m, events, checks);
    await readTerms(ctx, created);
  } else {
    stat.reverted += 1;
    const name = out.error?.name ?? null;
    if (process.env.FUZZ_REASONS) {
      const why = ctx.stats.get(`${tx.kind} ! ${name}`) ?? { ok: 0, reverted: 0 };
      why.reverted += 1;
      ctx.stats.set(`${tx.kind} ! ${name}`, why);
    }
    checks.that(name !== null && name !== PANIC && name !== "Error", "a revert carries a named custom error", () =>
      `${out.error?.text ?? out.data ?? out.message}`,
    );
    checks.that(tx.expect !== true, "a valid action succeeds", () => `${out.error?.text ?? out.message}`);
    if (tx.errors) {
      checks.that(tx.errors.includes(name!), "a bad action is refused with the expected error", () =>
        `${out.error?.text}, expected ${tx.errors!.join(" | ")}`,
      );
    }
  }
  // a revert can only have left everything as it was: its probe reads the escrow, the accounts and the
  // period it named; cycles, devices, trades and providers are read after the next successful action
  const hints = out.ok ? tx.hints : { accounts: tx.hints?.accounts, periods: tx.hints?.periods };
  const q = queryFor(w, m, events, { ...hints, accounts: [tx.from, ...(hints?.accounts ?? [])] });
  if (!out.ok) q.cycles = [];
  const t1 = performance.now();
  const p = await probe(w, q);
  profile.probe += performance.now() - t1;
  checkProbe(w, m, q, p, !out.ok, checks);
  profile.total += performance.now() - t0;
  return out.ok ? events : null;
}

/** The terms the events of a new trade do not carry (margins, schedule, tolerance, reward), read once. */
async function readTerms(ctx: Ctx, ids: readonly bigint[]): Promise<void> {
  const trades = await Promise.all(ids.map((id) => ctx.w.escrow.trade(id)));
  trades.forEach((t, i) => {
    ctx.m.trades[Number(ids[i]) - 1].terms = {
      sellerMargin: t.sellerMargin,
      buyerMargin: t.buyerMargin,
      lossToleranceBps: t.lossToleranceBps,
      reward: t.reward,
      deliveryStart: t.deliveryStart,
      deliveryEnd: t.deliveryEnd,
      settlementDeadline: t.settlementDeadline,
    };
  });
}

/** Moves the chain's clock to `at` (if it is in the future) with one mined block, then re-reads the cycles. */
export async function travelTo(ctx: Ctx, at: bigint, kind = "time travel"): Promise<void> {
  const { w, m, checks } = ctx;
  checks.label = `${kind} to ${at}`;
  const t = at > w.clock.last + 1n ? at : w.clock.last + 1n;
  await hre.network.provider.request({ method: "evm_mine", params: [Number(t)] });
  w.clock.last = t;
  const stat = ctx.stats.get(kind) ?? { ok: 0, reverted: 0 };
  stat.ok += 1;
  ctx.stats.set(kind, stat);
  const q = queryFor(w, m, [], {});
  checkProbe(w, m, q, await probe(w, q), false, checks);
}
