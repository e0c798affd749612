import fc from "fast-check";
import type { Interface, Wallet } from "ethers";
import { meritOrder } from "../../../src/core/auction/meritOrder";
import { solveGap } from "../../../src/core/gap";
import { checkAssignment, GRID, toGapInstance, toOnChainAssignment } from "../../../src/core/matching";
import { signReading } from "../../../src/chain/escrow";
import { costUp } from "../../../src/core/units";
import { coreOrders } from "../../../src/chain/auction";
import { coreCycle } from "./invariants";
import { eligible, freeOf, lower, statusOf, type CycleM, type Model, type PeriodM, type TradeM } from "./model";
import { execute, travelTo, type Ctx, type Tx } from "./runner";
import { GEUR, registration, type Actor, type World } from "./world";

/** One action of a sequence: what fast-check generates, shrinks and prints. */
export class Step implements fc.AsyncCommand<Model, Ctx> {
  constructor(
    readonly label: string,
    readonly act: (ctx: Ctx) => Promise<void>,
  ) {}
  check(): boolean {
    return true;
  }
  async run(_m: Model, ctx: Ctx): Promise<void> {
    await this.act(ctx);
  }
  toString(): string {
    return this.label;
  }
}

/**
 * Whether the next block's timestamp is at or after `t`. Every block is mined one second after the last
 * (World.clock), so this is exact.
 */
function reached(m: Model, t: bigint): boolean {
  return m.now + 1n >= t;
}
const not = (b: boolean | null) => (b === null ? null : !b);

const enc = (c: { interface: unknown }, fn: string, args: readonly unknown[]) =>
  (c.interface as Interface).encodeFunctionData(fn, args);
const pct = (v: bigint, p: number) => (v * BigInt(p)) / 100n;
const show = (x: unknown) => JSON.stringify(x, (_, v) => (typeof v === "bigint" ? v.toString() : v));
const NOT_ALLOWED = "AccessControlUnauthorizedAccount";

function actors(w: World): Actor[] {
  return [...w.prosumers, ...w.newcomers];
}
function actorAt(w: World, pick: number): Actor {
  const all = actors(w);
  return all[pick % all.length];
}
/** Mostly a prosumer (registered and approved at the start), sometimes a newcomer. */
function traderAt(w: World, pick: number): Actor {
  return pick % 5 === 4 ? w.newcomers[pick % w.newcomers.length] : w.prosumers[pick % w.prosumers.length];
}
/** Mostly one of the given items; sometimes (or when there is none) an id that does not exist. */
function pickId<T extends { id: bigint }>(items: readonly T[], pick: number, prefer: (x: T) => boolean): bigint {
  if (items.length === 0 || pick % 13 === 12) return BigInt(items.length + 1);
  const good = items.filter(prefer);
  const pool = good.length && pick % 5 !== 4 ? good : items;
  return pool[pick % pool.length].id;
}

async function one(ctx: Ctx, tx: Tx): Promise<void> {
  await execute(ctx, tx);
}

// ---------------------------------------------------------------------------- registry

const register = fc
  .record({ n: fc.nat(), variant: fc.constantFrom("valid", "valid", "valid", "badRegion", "zeroCapacity", "deviceTaken") })
  .map(({ n, variant }) => new Step(`register(N${n % 2}, ${variant})`, async (ctx) => {
    const { w, m } = ctx;
    const a = w.newcomers[n % w.newcomers.length];
    const s = statusOf(m, a.address);
    const open = s === 0 || s === 3;
    const p0 = w.prosumers[0];
    const taken = statusOf(m, p0.address) !== 5;
    const reg =
      variant === "badRegion" ? registration(a, { region: 9 })
      : variant === "zeroCapacity" ? registration(a, { capacityW: 0n })
      : variant === "deviceTaken" ? registration(a, { device: p0.meter.address })
      : registration(a);
    const bad = variant === "badRegion" || variant === "zeroCapacity" || (variant === "deviceTaken" && taken);
    const expect = !open ? false : variant === "deviceTaken" && !taken ? true : !bad;
    const events = await execute(ctx, {
      kind: "register", label: `register(${a.name}, ${variant})`, from: a.address, to: w.addresses.registry,
      data: enc(w.registry, "register", [reg]), expect,
      errors: !open ? ["RegistryAlreadyRegistered"] : undefined, hints: { participants: [a.address] },
    });
    if (events) m.meterOf.set(lower(a.address), variant === "deviceTaken" ? p0.meter : a.meter);
  }));

const REVIEW = { approve: 1, reject: 1, suspend: 2, reinstate: 4 } as const;
const review = fc
  .record({ kind: fc.constantFrom("approve", "approve", "reject", "suspend", "reinstate"), who: fc.nat(), stranger: fc.nat({ max: 9 }) })
  .map(({ kind, who, stranger }) => new Step(`${kind}(#${who}${stranger === 0 ? ", by a stranger" : ""})`, async (ctx) => {
    const { w, m } = ctx;
    // approvals and rejections go mostly to newcomers: the prosumers are approved already
    const target = kind === "approve" || kind === "reject" ? (who % 3 === 0 ? actorAt(w, who) : w.newcomers[who % 2]) : actorAt(w, who);
    const s = statusOf(m, target.address);
    const args = kind === "approve" || kind === "reinstate" ? [target.address] : [target.address, 7];
    const byStranger = stranger === 0;
    await one(ctx, {
      kind: `review:${kind}`, label: `${kind}(${target.name})`, from: byStranger ? w.stranger : w.operator,
      to: w.addresses.registry, data: enc(w.registry, kind, args), expect: !byStranger && s === REVIEW[kind],
      errors: byStranger ? [NOT_ALLOWED] : s === 0 ? ["RegistryNotRegistered"] : s !== REVIEW[kind] ? ["RegistryInvalidTransition"] : undefined,
      hints: { participants: [target.address] },
    });
  }));

const delist = fc.nat().map((who) => new Step(`delist(#${who})`, async (ctx) => {
  const { w, m } = ctx;
  const quitters = [...w.newcomers, w.prosumers[w.prosumers.length - 1]];
  const a = quitters[who % quitters.length];
  const s = statusOf(m, a.address);
  const open = m.openTrades.get(lower(a.address)) ?? 0;
  await one(ctx, {
    kind: "delist", label: `delist(${a.name}, by itself)`, from: a.address, to: w.addresses.registry,
    data: enc(w.registry, "delist", [a.address, 0]), expect: s !== 0 && s !== 5 && open === 0,
    errors: s === 0 ? ["RegistryNotRegistered"] : s === 5 ? ["RegistryInvalidTransition"] : open > 0 ? ["RegistryOpenTrades"] : undefined,
    hints: { participants: [a.address] },
  });
}));

const settlementAccount = fc.record({ who: fc.nat(), toStranger: fc.boolean() }).map(({ who, toStranger }) =>
  new Step(`setSettlementAccount(#${who}${toStranger ? ", to the stranger" : ""})`, async (ctx) => {
    const { w, m } = ctx;
    const a = actorAt(w, who);
    const s = statusOf(m, a.address);
    const open = m.openTrades.get(lower(a.address)) ?? 0;
    await one(ctx, {
      kind: "setSettlementAccount", label: `setSettlementAccount(${a.name})`, from: a.address, to: w.addresses.registry,
      data: enc(w.registry, "setSettlementAccount", [toStranger ? w.stranger : a.address]), expect: s !== 0 && s !== 5 && open === 0,
      errors: s === 0 ? ["RegistryNotRegistered"] : s === 5 ? ["RegistryInvalidTransition"] : open > 0 ? ["RegistryOpenTrades"] : undefined,
    });
  }));

// ---------------------------------------------------------------------------- escrow accounts

const deposit = fc
  .record({ who: fc.nat(), amount: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 40n * GEUR }), fc.constant(10n ** 20n)), forStranger: fc.nat({ max: 5 }) })
  .map(({ who, amount, forStranger }) => new Step(`deposit(#${who}, ${amount}${forStranger === 0 ? ", for the stranger" : ""})`, async (ctx) => {
    const { w } = ctx;
    const a = actorAt(w, who);
    const data = forStranger === 0 ? enc(w.escrow, "depositFor", [w.stranger, amount]) : enc(w.escrow, "deposit", [amount]);
    await one(ctx, {
      kind: "deposit", label: `deposit(${a.name}, ${amount})`, from: a.address, to: w.addresses.escrow, data,
      expect: amount > 0n && amount < 10n ** 20n,
      errors: amount === 0n ? ["EscrowZeroAmount"] : amount >= 10n ** 20n ? ["ERC20InsufficientBalance"] : undefined,
      hints: { accounts: [w.stranger] },
    });
  }));

const withdraw = fc.record({ who: fc.nat(), percent: fc.nat({ max: 130 }) }).map(({ who, percent }) =>
  new Step(`withdraw(#${who}, ${percent}% of free)`, async (ctx) => {
    const { w, m } = ctx;
    const all = [...actors(w).map((a) => a.address), w.stranger];
    const account = all[who % all.length];
    const free = freeOf(m, account);
    const amount = pct(free, percent);
    await one(ctx, {
      kind: "withdraw", label: `withdraw(${account.slice(0, 8)}, ${amount} of ${free})`, from: account, to: w.addresses.escrow,
      data: enc(w.escrow, "withdraw", [amount]), expect: amount > 0n && amount <= free,
      errors: amount === 0n ? ["EscrowZeroAmount"] : amount > free ? ["EscrowInsufficientFree"] : undefined,
    });
  }));

const fundRewards = fc.bigInt({ min: 0n, max: 3n * GEUR }).map((amount) => new Step(`fundRewards(${amount})`, async (ctx) => {
  const { w } = ctx;
  await one(ctx, {
    kind: "fundRewards", label: `fundRewards(${amount})`, from: w.operator, to: w.addresses.escrow,
    data: enc(w.escrow, "fundRewards", [amount]), expect: amount > 0n, errors: amount === 0n ? ["EscrowZeroAmount"] : undefined,
  });
}));

/** Someone claims a reward left unpaid, mostly after the operator topped the pool up. */
const claimReward = fc.record({ pick: fc.nat(), topUp: fc.nat({ max: 2 }) }).map(({ pick, topUp }) => new Step(`claimReward(#${pick}, top-up ${topUp} gEUR)`, async (ctx) => {
  const { w, m } = ctx;
  if (topUp > 0 && m.trades.some((t) => t.unpaid > 0n)) {
    await one(ctx, {
      kind: "fundRewards", label: `fundRewards(${topUp} gEUR)`, from: w.operator, to: w.addresses.escrow,
      data: enc(w.escrow, "fundRewards", [BigInt(topUp) * GEUR]), expect: true,
    });
  }
  const owed = m.trades.filter((t) => t.unpaid > 0n);
  const t = owed.length && pick % 4 !== 0 ? owed[pick % owed.length] : m.trades[pick % Math.max(1, m.trades.length)];
  const id = t ? t.id : 1n;
  const claimable = t !== undefined && t.unpaid > 0n && m.totals.rewardPool > 0n;
  await one(ctx, {
    kind: "claimReward", label: `claimReward(trade ${id})`, from: w.stranger, to: w.addresses.escrow,
    data: enc(w.escrow, "claimReward", [id]), expect: claimable, errors: claimable ? undefined : ["EscrowNothingToClaim"],
    hints: { trades: [id], accounts: t ? [t.seller] : [] },
  });
}));

// ---------------------------------------------------------------------------- double auction

const TICK = 10_000n;
const FEED_IN = 300_000n;
const RETAIL = 1_000_000n;

const openPeriodOf = (validOnly: boolean) => fc
  .record({
    region: validOnly ? fc.constant(0) : fc.constantFrom(0, 0, 0, 1),
    roundDuration: fc.integer({ min: 200, max: 900 }),
    maxRounds: fc.integer({ min: 2, max: 4 }),
    orderCap: fc.integer({ min: 3, max: 8 }),
    margin: fc.integer({ min: 1, max: 4 }),
    startIn: fc.integer({ min: 1500, max: 4000 }),
    duration: fc.integer({ min: 300, max: 1800 }),
    grace: fc.integer({ min: 300, max: 2400 }),
    invalid: validOnly ? fc.constant(null) : fc.constantFrom(null, null, null, null, null, null, "tick", "maxRounds", "margin", "delivery"),
    stranger: validOnly ? fc.constant(1) : fc.nat({ max: 14 }),
  })
  .map((p) => new Step(`openPeriod(${JSON.stringify(p)})`, async (ctx) => {
    const { w, m } = ctx;
    const deliveryStart = m.now + BigInt(p.startIn);
    const params = {
      region: p.region,
      tick: p.invalid === "tick" ? 0n : TICK,
      feedInTariff: FEED_IN,
      retailTariff: RETAIL,
      roundDuration: p.roundDuration,
      maxRounds: p.invalid === "maxRounds" ? 1 : p.maxRounds,
      orderCap: p.orderCap,
      margin: p.invalid === "margin" ? 0n : (BigInt(p.margin) * GEUR) / 2n,
      deliveryStart: p.invalid === "delivery" ? m.now - 10n : deliveryStart,
      deliveryEnd: deliveryStart + BigInt(p.duration),
      settlementDeadline: deliveryStart + BigInt(p.duration + p.grace),
    };
    const byStranger = p.stranger === 0;
    await one(ctx, {
      kind: "openPeriod", label: `openPeriod(${p.invalid ?? "valid"})`, from: byStranger ? w.stranger : w.operator,
      to: w.addresses.auction, data: enc(w.auction, "openPeriod", [params]), expect: !byStranger && p.invalid === null,
      errors: byStranger ? [NOT_ALLOWED] : p.invalid ? ["AuctionInvalidParams"] : undefined,
    });
  }));

/** Why placeOrder must fail, in the contract's order of checks (null: it must succeed). */
function orderRefusal(w: World, m: Model, p: PeriodM | undefined, a: Actor, side: 0 | 1, energy: bigint, price: bigint): string | null {
  if (!p) return "AuctionUnknownPeriod";
  if (p.phase !== 1) return "AuctionWrongPhase";
  if (p.round !== 1) return "AuctionOrdersClosed";
  if (!eligible(m, a.address)) return "RegistryNotEligible";
  if (p.region !== 0 && a.region !== p.region) return "AuctionWrongRegion";
  if (p.orders.some((o) => lower(o.participant) === lower(a.address) && !o.cancelled)) return "AuctionDuplicateOrder";
  if (energy === 0n) return "AuctionZeroEnergy";
  if (price < p.feedIn || price > p.retail) return "AuctionPriceOutOfRange";
  if (price % p.tick !== 0n) return "AuctionPriceNotOnTick";
  if (p.orders.length >= p.orderCap) return "AuctionOrderCapReached";
  const lock = p.margin + (side === 1 ? costUp(energy, p.retail) : 0n);
  if (freeOf(m, a.address) < lock) return "EscrowInsufficientFree";
  return null;
}

const placeOrder = fc
  .record({
    who: fc.nat(),
    period: fc.nat(),
    side: fc.constantFrom(0, 1) as fc.Arbitrary<0 | 1>,
    energy: fc.oneof({ arbitrary: fc.bigInt({ min: 1n, max: 9000n }), weight: 12 }, { arbitrary: fc.constant(0n), weight: 1 }),
    ticks: fc.integer({ min: 30, max: 100 }),
    priceKind: fc.constantFrom("tick", "tick", "tick", "tick", "tick", "tick", "offTick", "outOfRange"),
  })
  .map((o) => new Step(`placeOrder(${show(o)})`, async (ctx) => {
    const { w, m } = ctx;
    const a = traderAt(w, o.who);
    const accepting = m.periods.filter((p) => p.phase === 1 && p.round === 1).sort((x, y) => y.orders.length - x.orders.length);
    const id = accepting.length && o.period % 3 !== 0 ? accepting[0].id : pickId(m.periods, o.period, (p) => p.phase === 1 && p.round === 1);
    const p = m.periods[Number(id) - 1];
    const price = o.priceKind === "outOfRange" ? RETAIL + TICK : BigInt(o.ticks) * TICK + (o.priceKind === "offTick" ? 1n : 0n);
    const refusal = orderRefusal(w, m, p, a, o.side, o.energy, price);
    await one(ctx, {
      kind: "placeOrder", label: `placeOrder(${a.name}, period ${id}, ${o.side ? "bid" : "ask"} ${o.energy} Wh at ${price})`,
      from: a.address, to: w.addresses.auction, data: enc(w.auction, "placeOrder", [id, o.side, o.energy, price]),
      expect: refusal === null, errors: refusal ? [refusal] : undefined, hints: { periods: [id] },
    });
  }));

/** The period and order of a participant that holds an active order (mostly), for revise and cancel. */
function orderHolder(w: World, m: Model, pick: number, phaseRound: (p: PeriodM) => boolean) {
  const holders: { p: PeriodM; a: Actor }[] = [];
  for (const p of m.periods) {
    if (!phaseRound(p)) continue;
    for (const o of p.orders) {
      const a = actors(w).find((x) => lower(x.address) === lower(o.participant));
      if (a && !o.cancelled) holders.push({ p, a });
    }
  }
  if (holders.length && pick % 6 !== 5) return holders[pick % holders.length];
  const id = pickId(m.periods, pick, phaseRound);
  return { p: m.periods[Number(id) - 1] as PeriodM | undefined, a: actorAt(w, pick), id };
}

const revise = fc
  .record({ pick: fc.nat(), delta: fc.integer({ min: -4, max: 4 }), beyond: fc.nat({ max: 7 }) })
  .map(({ pick, delta, beyond }) => new Step(`revise(#${pick}, ${delta} ticks${beyond === 0 ? ", beyond reservation" : ""})`, async (ctx) => {
    const { w, m } = ctx;
    const h = orderHolder(w, m, pick, (p) => p.phase === 1 && p.round >= 2);
    const id = h.p ? h.p.id : BigInt(m.periods.length + 1);
    const order = h.p?.orders.find((o) => lower(o.participant) === lower(h.a.address) && !o.cancelled);
    let price = order ? order.quote + BigInt(delta) * TICK : FEED_IN;
    if (order && beyond === 0) price = order.side === "seller" ? order.firstQuote - TICK : order.firstQuote + TICK;
    if (price < FEED_IN) price = FEED_IN;
    if (price > RETAIL) price = RETAIL;
    let errors: string[] | undefined;
    let expect: boolean | null = false;
    const over = h.p ? reached(m, h.p.roundEndsAt) : null;
    if (!h.p) errors = ["AuctionUnknownPeriod"];
    else if (h.p.phase !== 1) errors = ["AuctionWrongPhase"];
    else if (h.p.round < 2) errors = ["AuctionRevisionsNotOpen"];
    else if (over !== false) expect = over === null ? null : false, errors = over ? ["AuctionRoundOver"] : undefined;
    else if (!order) errors = ["AuctionNoOrder"];
    else if (order.side === "seller" ? price < order.firstQuote : price > order.firstQuote) errors = ["AuctionBeyondReservation"];
    else if (price === order.quote) errors = ["AuctionQuoteUnchanged"];
    else expect = true;
    await one(ctx, {
      kind: "revise", label: `revise(${h.a.name}, period ${id}, to ${price})`, from: h.a.address, to: w.addresses.auction,
      data: enc(w.auction, "revise", [id, price]), expect, errors, hints: { periods: [id] },
    });
  }));

const cancelOrder = fc.nat().map((pick) => new Step(`cancel(#${pick})`, async (ctx) => {
  const { w, m } = ctx;
  const h = orderHolder(w, m, pick, (p) => p.phase === 1 && p.round === 1);
  const id = h.p ? h.p.id : BigInt(m.periods.length + 1);
  const has = h.p?.orders.some((o) => lower(o.participant) === lower(h.a.address) && !o.cancelled);
  const refusal = !h.p ? "AuctionUnknownPeriod" : h.p.phase !== 1 ? "AuctionWrongPhase" : h.p.round !== 1 ? "AuctionOrdersClosed" : !has ? "AuctionNoOrder" : null;
  await one(ctx, {
    kind: "cancel", label: `cancel(${h.a.name}, period ${id})`, from: h.a.address, to: w.addresses.auction,
    data: enc(w.auction, "cancel", [id]), expect: refusal === null, errors: refusal ? [refusal] : undefined, hints: { periods: [id] },
  });
}));

/** The merit orders of both sides from the reference twin (order indices). */
export function meritOf(p: PeriodM): { sellers: number[]; buyers: number[] } {
  const orders = coreOrders(p);
  const side = (s: "seller" | "buyer") => meritOrder(orders, s).map((i) => Number(orders[i].id));
  return { sellers: side("seller"), buyers: side("buyer") };
}

/** A merit order broken in one of several ways, or null when the book is too small to break it that way. */
function corrupt(p: PeriodM, merit: { sellers: number[]; buyers: number[] }, how: number): { sellers: number[]; buyers: number[] } | null {
  const key = how % 2 === 0 ? "sellers" : "buyers";
  const list = [...merit[key]];
  const cancelled = p.orders.find((o) => o.cancelled);
  switch (Math.floor(how / 2) % 4) {
    case 0: // swap two neighbours: no longer strictly sorted
      if (list.length < 2) return null;
      [list[0], list[1]] = [list[1], list[0]];
      break;
    case 1: // drop one
      if (list.length < 1) return null;
      list.pop();
      break;
    case 2: // a cancelled order or an order of the other side
      if (cancelled) list.push(cancelled.index);
      else if (merit[key === "sellers" ? "buyers" : "sellers"].length) list.push(merit[key === "sellers" ? "buyers" : "sellers"][0]);
      else return null;
      break;
    default: // an index past the book, in place of a real one
      if (list.length < 1) return null;
      list[list.length - 1] = p.orders.length + 3;
  }
  return { ...merit, [key]: list };
}

const closeRound = fc
  .record({ period: fc.nat(), variant: fc.constantFrom("right", "right", "right", "right", "wrong"), how: fc.nat(), byOperator: fc.boolean() })
  .map(({ period, variant, how, byOperator }) => new Step(`closeRound(#${period}, ${variant}, by ${byOperator ? "operator" : "anyone"})`, async (ctx) => {
    const { w, m } = ctx;
    const both = (p: PeriodM) => ["seller", "buyer"].every((side) => p.orders.some((o) => o.side === side && !o.cancelled));
    const id = pickId(m.periods, period, (p) => p.phase === 1 && (both(p) || p.round > 1));
    const p = m.periods[Number(id) - 1];
    const right = p ? meritOf(p) : { sellers: [], buyers: [] };
    const wrong = p && variant === "wrong" ? corrupt(p, right, how) : null;
    const merit = wrong ?? right;
    let expect: boolean | null = true;
    let errors: string[] | undefined;
    const over = p ? reached(m, p.roundEndsAt) : null;
    if (!p) (expect = false), (errors = ["AuctionUnknownPeriod"]);
    else if (p.phase !== 1) (expect = false), (errors = ["AuctionWrongPhase"]);
    else if (!byOperator && over !== true) (expect = over === null ? null : false), (errors = ["AuctionRoundNotOver", ...(wrong ? MERIT_ERRORS : [])]);
    else if (wrong) (expect = false), (errors = MERIT_ERRORS);
    await one(ctx, {
      kind: wrong ? "closeRound:wrongMeritOrder" : "closeRound", label: `closeRound(period ${id}, ${JSON.stringify(merit)})`,
      from: byOperator ? w.operator : w.stranger, to: w.addresses.auction,
      data: enc(w.auction, "closeRound", [id, merit.sellers, merit.buyers]), expect, errors, hints: { periods: [id] },
      submitted: { merit },
    });
  }));
const MERIT_ERRORS = ["AuctionMeritOrderLength", "AuctionMeritOrderIndex", "AuctionMeritOrderNotSorted"];

/** The operator closes the current round of an open period with the right merit order. */
export async function closeOut(ctx: Ctx, p: PeriodM, kind = "closeRound"): Promise<void> {
  const { w } = ctx;
  const merit = meritOf(p);
  await one(ctx, {
    kind, label: `closeRound(period ${p.id}, by the operator)`, from: w.operator, to: w.addresses.auction,
    data: enc(w.auction, "closeRound", [p.id, merit.sellers, merit.buyers]), expect: true, hints: { periods: [p.id] },
    submitted: { merit },
  });
}

const finalizeAuctionOf = (forced: boolean) => fc
  .record({ period: fc.nat(), steps: forced ? fc.constant(64) : fc.oneof({ arbitrary: fc.integer({ min: 1, max: 6 }), weight: 12 }, { arbitrary: fc.constant(0), weight: 1 }), wrong: forced ? fc.constant(1) : fc.nat({ max: 7 }), hurry: forced ? fc.constant(true) : fc.nat({ max: 3 }).map((n) => n === 0) })
  .map(({ period, steps, wrong, hurry }) => new Step(`finalizeAuction(#${period}, ${steps} steps${wrong === 0 ? ", other merit order" : ""}${hurry ? ", closing the rounds first" : ""})`, async (ctx) => {
    const { w, m } = ctx;
    const id = pickId(m.periods, period, (p) => p.phase === 2 || (hurry && p.phase === 1));
    const p = m.periods[Number(id) - 1];
    for (let guard = 0; hurry && p && p.phase === 1 && guard <= p.maxRounds; guard++) await closeOut(ctx, p);
    let merit = p?.merit ?? { sellers: [], buyers: [] };
    if (wrong === 0) merit = { sellers: merit.buyers, buyers: [...merit.sellers, 0] };
    const refusal = steps === 0 ? "AuctionZeroSteps" : !p ? "AuctionUnknownPeriod" : p.phase !== 2 ? "AuctionWrongPhase" : wrong === 0 ? "AuctionMeritOrderMismatch" : null;
    await one(ctx, {
      kind: "finalizeAuction", label: `finalize(period ${id}, ${steps} steps)`, from: w.stranger, to: w.addresses.auction,
      data: enc(w.auction, "finalize", [id, merit.sellers, merit.buyers, steps]), expect: refusal === null,
      errors: refusal ? [refusal] : undefined, hints: { periods: [id] },
    });
  }));

// ---------------------------------------------------------------------------- reputation matching

const openCycleOf = (validOnly: boolean) => fc
  .record({
    postingIn: fc.integer({ min: 200, max: 900 }),
    submission: fc.integer({ min: 200, max: 600 }),
    startAfter: fc.integer({ min: 200, max: 1500 }),
    duration: fc.integer({ min: 300, max: 1800 }),
    grace: fc.integer({ min: 300, max: 2400 }),
    requestCap: fc.integer({ min: 2, max: 6 }),
    offerCap: fc.integer({ min: 1, max: 4 }),
    margin: fc.integer({ min: 1, max: 4 }),
    invalid: validOnly ? fc.constant(null) : fc.constantFrom(null, null, null, null, null, null, "postingEnds", "requestCap", "margin", "deliveryStart"),
    stranger: validOnly ? fc.constant(1) : fc.nat({ max: 14 }),
  })
  .map((c) => new Step(`openCycle(${JSON.stringify(c)})`, async (ctx) => {
    const { w, m } = ctx;
    const postingEnds = m.now + BigInt(c.postingIn);
    const submissionEnds = postingEnds + BigInt(c.submission);
    const deliveryStart = submissionEnds + BigInt(c.startAfter);
    const params = {
      region: 0,
      postingEnds: c.invalid === "postingEnds" ? m.now : postingEnds,
      submissionEnds,
      deliveryStart: c.invalid === "deliveryStart" ? submissionEnds : deliveryStart,
      deliveryEnd: deliveryStart + BigInt(c.duration),
      settlementDeadline: deliveryStart + BigInt(c.duration + c.grace),
      requestCap: c.invalid === "requestCap" ? 0 : c.requestCap,
      offerCap: c.offerCap,
      margin: c.invalid === "margin" ? 0n : (BigInt(c.margin) * GEUR) / 2n,
    };
    const byStranger = c.stranger === 0;
    await one(ctx, {
      kind: "openCycle", label: `openCycle(${c.invalid ?? "valid"})`, from: byStranger ? w.stranger : w.operator,
      to: w.addresses.matching, data: enc(w.matching, "openCycle", [params]), expect: !byStranger && c.invalid === null,
      errors: byStranger ? [NOT_ALLOWED] : c.invalid ? ["MatchingInvalidParams"] : undefined,
    });
  }));

/** Why postOffer / postRequest must fail, in the contract's order of checks; null when it must succeed. */
function postingRefusal(m: Model, cy: CycleM | undefined, a: Actor, asOffer: boolean, price: bigint, energy: bigint, lock: bigint): string | null {
  if (!cy) return "MatchingUnknownCycle";
  if (reached(m, cy.postingEnds)) return "MatchingPostingClosed";
  if (asOffer ? price === 0n : energy === 0n) return asOffer ? "MatchingZeroPrice" : "MatchingZeroEnergy";
  if (asOffer ? energy === 0n : price === 0n) return asOffer ? "MatchingZeroEnergy" : "MatchingZeroPrice";
  const offered = cy.offers.some((o) => lower(o.provider) === lower(a.address));
  const requested = cy.requests.some((r) => lower(r.user) === lower(a.address));
  if (asOffer ? offered : requested) return "MatchingAlreadyPosted";
  if (offered || requested) return "MatchingBothSides";
  if (!eligible(m, a.address)) return "RegistryNotEligible";
  if (cy.region !== 0 && a.region !== cy.region) return "MatchingWrongRegion";
  if (asOffer ? cy.offers.length >= cy.offerCap : cy.requests.length >= cy.requestCap) {
    return asOffer ? "MatchingOfferCapReached" : "MatchingRequestCapReached";
  }
  if (freeOf(m, a.address) < lock) return "EscrowInsufficientFree";
  return null;
}

function posting(kind: "postOffer" | "postRequest") {
  return fc
    .record({ who: fc.nat(), cycle: fc.nat(), price: fc.oneof({ arbitrary: fc.bigInt({ min: 50_000n, max: 950_000n }), weight: 15 }, { arbitrary: fc.constant(0n), weight: 1 }),
      energy: fc.oneof({ arbitrary: fc.bigInt({ min: 1n, max: 12_000n }), weight: 15 }, { arbitrary: fc.constant(0n), weight: 1 }) })
    .map((o) => new Step(`${kind}(${show(o)})`, async (ctx) => {
      const { w, m } = ctx;
      const a = traderAt(w, o.who);
      const id = pickId(m.cycles, o.cycle, (cy) => reached(m, cy.postingEnds) === false);
      const cy = m.cycles[Number(id) - 1];
      const asOffer = kind === "postOffer";
      const lock = cy ? cy.margin + (asOffer ? 0n : costUp(o.energy, o.price)) : 0n;
      const refusal = postingRefusal(m, cy, a, asOffer, o.price, o.energy, lock);
      await one(ctx, {
        kind, label: `${kind}(${a.name}, cycle ${id}, ${o.price}/kWh, ${o.energy} Wh)`, from: a.address, to: w.addresses.matching,
        data: enc(w.matching, kind, asOffer ? [id, o.price, o.energy] : [id, o.energy, o.price]),
        expect: refusal === null, errors: refusal ? [refusal] : undefined,
        hints: { participants: [a.address] },
      });
    }));
}

function cancelling(kind: "cancelOffer" | "cancelRequest") {
  return fc.nat().map((pick) => new Step(`${kind}(#${pick})`, async (ctx) => {
    const { w, m } = ctx;
    const id = pickId(m.cycles, pick, (cy) => reached(m, cy.postingEnds) === false);
    const cy = m.cycles[Number(id) - 1];
    const posted = cy ? (kind === "cancelOffer" ? cy.offers.map((o) => ({ who: o.provider, cancelled: o.cancelled })) : cy.requests.map((r) => ({ who: r.user, cancelled: r.cancelled }))) : [];
    const a = posted.length && pick % 5 !== 0 ? actors(w).find((x) => lower(x.address) === lower(posted[pick % posted.length].who))! : actorAt(w, pick);
    const mine = posted.find((x) => lower(x.who) === lower(a.address));
    const closed = cy ? reached(m, cy.postingEnds) : false;
    const refusal = !cy ? "MatchingUnknownCycle" : closed ? "MatchingPostingClosed"
      : !mine ? (kind === "cancelOffer" ? "MatchingNoOffer" : "MatchingNoRequest") : mine.cancelled ? "MatchingAlreadyCancelled" : null;
    await one(ctx, {
      kind, label: `${kind}(${a.name}, cycle ${id})`, from: a.address, to: w.addresses.matching, data: enc(w.matching, kind, [id]),
      expect: refusal === null, errors: refusal ? [refusal] : undefined,
    });
  }));
}

/** The assignment that the branch-and-bound solver finds for the cycle (ties broken in favour of trading). */
function solve(w: World, cy: CycleM): number[] {
  if (cy.requests.length === 0) return [];
  const gap = toGapInstance(coreCycle(w, cy));
  const result = solveGap(gap.instance, { nodeLimit: 20_000 });
  return result.assignment ? toOnChainAssignment(gap, result.assignment) : cy.requests.map(() => GRID);
}

/** A corrupted assignment: each kind breaks one rule the contract checks (the twin says which, if any). */
function corruptAssignment(cy: CycleM, base: number[], how: number): number[] {
  const a = [...base];
  const n = a.length;
  switch (how % 6) {
    case 0:
      return [...a, GRID]; // wrong length
    case 1:
      if (n) a[how % n] = cy.offers.length + (how % 3); // unknown offer
      return a;
    case 2: {
      // every request to the smallest offer: over capacity, or above some maximum price
      if (!cy.offers.length) return [...a, GRID];
      const small = cy.offers.reduce((x, y) => (y.capacityWh < x.capacityWh ? y : x));
      return a.map(() => small.index);
    }
    case 3: {
      const r = cy.requests.find((x) => x.cancelled); // a cancelled request assigned
      if (r && cy.offers.length) a[r.index] = 0;
      else if (n) a[0] = cy.offers.length;
      return a;
    }
    case 4: {
      const o = cy.offers.reduce<(typeof cy.offers)[number] | null>((x, y) => (x === null || y.price > x.price ? y : x), null);
      if (o && n) a[how % n] = o.index; // the dearest offer: often above the request's maximum
      return a;
    }
    default:
      return a.map((_, i) => (cy.offers.length ? (i * 7 + how) % (cy.offers.length + 1) : GRID)); // anything
  }
}

const submitAssignmentOf = (forced: boolean) => fc
  .record({ cycle: fc.nat(), variant: forced ? fc.constant("solver") : fc.constantFrom("solver", "solver", "solver", "corrupt", "corrupt", "grid"), how: fc.nat(), who: fc.nat(), hurry: forced ? fc.constant(true) : fc.nat({ max: 2 }).map((n) => n === 0) })
  .map(({ cycle, variant, how, who, hurry }) => new Step(`submitAssignment(#${cycle}, ${variant}, ${how}${hurry ? ", at the window" : ""})`, async (ctx) => {
    const { w, m } = ctx;
    const id = pickId(m.cycles, cycle, (cy) => (hurry || reached(m, cy.postingEnds) === true) && reached(m, cy.submissionEnds) === false);
    const cy = m.cycles[Number(id) - 1];
    if (hurry && cy && reached(m, cy.postingEnds) !== true && reached(m, cy.submissionEnds - 60n) === false) {
      await travelTo(ctx, cy.postingEnds + 1n, "time:window");
    }
    let assignment: number[] = [];
    if (cy) {
      const solved = variant === "grid" ? cy.requests.map(() => GRID) : solve(w, cy);
      assignment = variant === "corrupt" ? corruptAssignment(cy, solved, how) : solved;
    }
    let expect: boolean | null = false;
    let errors: string[] | undefined;
    const opened = cy ? reached(m, cy.postingEnds) : null;
    const closed = cy ? reached(m, cy.submissionEnds) : null;
    if (!cy) errors = ["MatchingUnknownCycle"];
    else if (opened === null || closed === null) expect = null;
    else if (!opened || closed) errors = ["MatchingNotSubmissionWindow"];
    else {
      const twin = checkAssignment(coreCycle(w, cy), assignment);
      if (twin.ok) expect = true;
      else errors = [twin.violation.error];
    }
    const from = who % 3 === 0 ? w.stranger : actorAt(w, who).address;
    await one(ctx, {
      kind: variant === "corrupt" ? "submitAssignment:corrupted" : "submitAssignment", label: `submitAssignment(cycle ${id}, [${assignment.join(",")}])`,
      from, to: w.addresses.matching, data: enc(w.matching, "submitAssignment", [id, assignment]), expect, errors,
      submitted: { assignment },
    });
  }));

const finalizeCycleOf = (forced: boolean) => fc
  .record({ cycle: fc.nat(), steps: forced ? fc.constant(64) : fc.oneof({ arbitrary: fc.integer({ min: 1, max: 8 }), weight: 12 }, { arbitrary: fc.constant(0), weight: 1 }), wrong: forced ? fc.constant(1) : fc.nat({ max: 7 }), hurry: forced ? fc.constant(true) : fc.nat({ max: 3 }).map((n) => n === 0) })
  .map(({ cycle, steps, wrong, hurry }) => new Step(`finalizeCycle(#${cycle}, ${steps} steps${wrong === 0 ? ", other assignment" : ""}${hurry ? ", after the window" : ""})`, async (ctx) => {
    const { w, m } = ctx;
    const id = pickId(m.cycles, cycle, (cy) => !cy.finalized && (hurry || reached(m, cy.submissionEnds) === true));
    const cy = m.cycles[Number(id) - 1];
    if (hurry && cy && !cy.finalized && reached(m, cy.submissionEnds) !== true) await travelTo(ctx, cy.submissionEnds + 1n, "time:window");
    const accepted = cy ? (cy.best ? cy.best.assignment : cy.requests.map(() => GRID)) : [];
    const assignment = wrong === 0 ? [...accepted, GRID] : accepted;
    const open = cy ? reached(m, cy.submissionEnds) : true;
    const refusal = steps === 0 ? "MatchingZeroSteps" : !cy ? "MatchingUnknownCycle" : !open ? "MatchingSubmissionOpen"
      : cy.finalized ? "MatchingAlreadyFinalized" : wrong === 0 ? "MatchingAssignmentMismatch" : null;
    await one(ctx, {
      kind: "finalizeCycle", label: `finalizeCycle(cycle ${id}, ${steps} steps)`, from: w.stranger, to: w.addresses.matching,
      data: enc(w.matching, "finalize", [id, assignment, steps]),
      expect: refusal === null, errors: refusal ? [refusal] : undefined,
    });
  }));

const RECORDING_GRACE = 7n * 86_400n;
export function reputationRefusal(m: Model, cy: CycleM | undefined): string | null {
  if (!cy) return "MatchingUnknownCycle";
  if (Number(cy.id) !== m.lastApplied + 1) return "MatchingReputationOrder";
  if (!cy.finalized) return "MatchingNotFinalized";
  const trades = m.trades.filter((t) => t.market === "matching" && t.period === cy.id).length;
  let settled = 0;
  for (const list of cy.ratios.values()) settled += list.length;
  if (settled < trades && !reached(m, cy.settlementDeadline + RECORDING_GRACE)) return "MatchingTradesUnsettled";
  return null;
}

const updateReputation = fc.nat().map((pick) => new Step(`updateReputation(#${pick})`, async (ctx) => {
  const { w, m } = ctx;
  const id = pickId(m.cycles, pick, (cy) => Number(cy.id) === m.lastApplied + 1);
  const refusal = reputationRefusal(m, m.cycles[Number(id) - 1]);
  await one(ctx, {
    kind: "updateReputation", label: `updateReputation(cycle ${id})`, from: w.stranger, to: w.addresses.matching,
    data: enc(w.matching, "updateReputation", [id]),
    expect: refusal === null, errors: refusal ? [refusal] : undefined,
  });
}));

// ---------------------------------------------------------------------------- meter readings and settlement

function pickTrade(m: Model, pick: number, prefer: (t: TradeM) => boolean): TradeM | undefined {
  if (m.trades.length === 0 || pick % 17 === 16) return undefined;
  const good = m.trades.filter(prefer);
  const pool = good.length && pick % 5 !== 4 ? good : m.trades;
  return pool[pick % pool.length];
}
const inWindow = (m: Model, t: TradeM) => t.status === 1 && reached(m, t.terms!.deliveryStart) === true && reached(m, t.terms!.settlementDeadline) === false;

async function signed(w: World, meter: Wallet, tradeId: bigint, side: number, energyWh: bigint, sequence: bigint, chainId = w.chainId) {
  return signReading(meter, w.addresses.escrow, { tradeId, side, energyWh, sequence, chainId });
}

const READING_VARIANTS = ["valid", "valid", "valid", "valid", "replayed", "forged", "wrongChain", "decrease", "late"] as const;
const reading = fc
  .record({ pick: fc.nat(), side: fc.constantFrom(0, 1), percent: fc.nat({ max: 120 }), gap: fc.nat({ max: 3 }), variant: fc.constantFrom(...READING_VARIANTS), hurry: fc.nat({ max: 2 }) })
  .map((r) => new Step(`reading(${JSON.stringify(r)})`, async (ctx) => {
    const { w, m } = ctx;
    const waiting = m.trades.filter((x) => x.status === 1 && reached(m, x.terms!.deliveryStart) === false);
    if (r.hurry === 0 && waiting.length && !m.trades.some((x) => inWindow(m, x))) {
      await travelTo(ctx, waiting[r.pick % waiting.length].terms!.deliveryStart + 1n, "time:delivery");
    }
    const t = pickTrade(m, r.pick, (x) => (r.variant === "late" ? x.status === 1 && !inWindow(m, x) : inWindow(m, x)));
    const id = t ? t.id : BigInt(m.trades.length + 1);
    const party = t ? (r.side === 0 ? t.seller : t.buyer) : w.prosumers[0].address;
    const meter = m.meterOf.get(lower(party)) ?? w.prosumers[0].meter;
    const last = m.lastSeq.get(lower(meter.address)) ?? 0n;
    const previous = t ? (r.side === 0 ? t.provider : t.user) ?? 0n : 0n;
    const energy = r.variant === "decrease" && previous > 0n ? previous - 1n : previous + pct(t ? t.energyWh : 1000n, r.percent);
    const sequence = r.variant === "replayed" ? last : last + 1n + BigInt(r.gap);
    const s = await signed(w, r.variant === "forged" ? w.forger : meter, id, r.side, energy, sequence, r.variant === "wrongChain" ? w.chainId + 1n : w.chainId);
    let expect: boolean | null = false;
    let errors: string[] | undefined;
    const started = t ? reached(m, t.terms!.deliveryStart) : null;
    const ended = t ? reached(m, t.terms!.settlementDeadline) : null;
    if (r.variant === "wrongChain") errors = ["EscrowWrongChain"];
    else if (!t) errors = ["EscrowUnknownTrade"];
    else if (t.status === 2) errors = ["EscrowAlreadySettled"];
    else if (started === null || ended === null) expect = null;
    else if (!started || ended) errors = ["EscrowReadingOutsideWindow"];
    else if (r.variant === "forged") errors = ["EscrowWrongSigner"];
    else if (r.variant === "replayed") errors = ["EscrowReplayedReading"];
    else if (r.variant === "decrease" && previous > 0n && (r.side === 0 ? t.provider : t.user) !== null) errors = ["EscrowReadingDecreased"];
    else expect = true;
    await one(ctx, {
      kind: `reading:${r.variant}`, label: `reading(trade ${id}, side ${r.side}, ${energy} Wh, seq ${sequence}, ${r.variant})`,
      from: w.stranger, to: w.addresses.escrow, data: enc(w.escrow, "submitReading", [s.reading, s.signature]), expect, errors,
      hints: { trades: t ? [id] : [], devices: [meter.address] },
    });
  }));

/** Both meters of one trade in one submitReadings batch (a gateway relaying). */
const readingBatch = fc
  .record({ pick: fc.nat(), rho: fc.nat({ max: 110 }), gamma: fc.nat({ max: 110 }) })
  .map(({ pick, rho, gamma }) => new Step(`readingBatch(#${pick}, rho ${rho}%, gamma ${gamma}%)`, async (ctx) => {
    const { w, m } = ctx;
    const t = pickTrade(m, pick, (x) => inWindow(m, x));
    if (!t) return travelTo(ctx, m.now + 60n);
    const readings = [];
    const signatures = [];
    const devices = [];
    for (const [side, percent] of [[0, rho], [1, gamma]] as const) {
      const party = side === 0 ? t.seller : t.buyer;
      const meter = m.meterOf.get(lower(party))!;
      const last = m.lastSeq.get(lower(meter.address)) ?? 0n;
      // a party trading with itself is impossible, so the two devices differ and each sequence is its own
      const previous = (side === 0 ? t.provider : t.user) ?? 0n;
      const s = await signed(w, meter, t.id, side, previous + pct(t.energyWh, percent), last + 1n);
      readings.push(s.reading);
      signatures.push(s.signature);
      devices.push(meter.address);
    }
    const started = reached(m, t.terms!.deliveryStart);
    const ended = reached(m, t.terms!.settlementDeadline);
    const expect = t.status === 2 ? false : started === null || ended === null ? null : started && !ended;
    await one(ctx, {
      kind: "readingBatch", label: `submitReadings(trade ${t.id})`, from: w.stranger, to: w.addresses.escrow,
      data: enc(w.escrow, "submitReadings", [readings, signatures]), expect, hints: { trades: [t.id], devices },
    });
  }));

/** Whether settle(t) must succeed (true), must fail (false), or cannot be told (null). */
export function settleable(m: Model, t: TradeM): boolean | null {
  if (t.status !== 1) return false;
  const due = reached(m, t.terms!.settlementDeadline);
  const delivered = t.provider !== null && t.user !== null ? reached(m, t.terms!.deliveryEnd) : false;
  if (due === true || delivered === true) return true;
  if (due === null || delivered === null) return null;
  return false;
}

const settle = fc.record({ pick: fc.nat(), hurry: fc.nat({ max: 3 }) }).map(({ pick, hurry }) => new Step(`settle(#${pick}${hurry === 0 ? ", after the deadline" : ""})`, async (ctx) => {
  const { w, m } = ctx;
  const open = m.trades.filter((x) => x.status === 1);
  if (hurry === 0 && open.length && !open.some((x) => settleable(m, x) === true)) {
    await travelTo(ctx, open[pick % open.length].terms!.settlementDeadline, "time:deadline");
  }
  const t = pickTrade(m, pick, (x) => settleable(m, x) === true);
  const id = t ? t.id : BigInt(m.trades.length + 1);
  const can = t ? settleable(m, t) : false;
  await one(ctx, {
    kind: "settle", label: `settle(trade ${id})`, from: pick % 2 ? w.stranger : actorAt(w, pick).address, to: w.addresses.escrow,
    data: enc(w.escrow, "settle", [id]), expect: can,
    errors: !t ? ["EscrowUnknownTrade"] : t.status === 2 ? ["EscrowAlreadySettled"] : can === false ? ["EscrowNotSettleable"] : undefined,
    hints: { trades: t ? [id] : [], accounts: t ? [t.seller, t.buyer] : [] },
  });
}));

const settleBatch = fc.array(fc.nat(), { minLength: 1, maxLength: 4 }).map((picks) => new Step(`settleBatch(${picks.join(",")})`, async (ctx) => {
  const { w, m } = ctx;
  const chosen = picks.map((pick) => pickTrade(m, pick, (x) => settleable(m, x) === true));
  const ids = chosen.map((t) => (t ? t.id : BigInt(m.trades.length + 1)));
  const distinct = new Set(ids).size === ids.length;
  const each = chosen.map((t) => (t ? settleable(m, t) : false));
  const expect = !distinct || each.includes(false) ? false : each.includes(null) ? null : true;
  await one(ctx, {
    kind: "settleBatch", label: `settleBatch([${ids.join(",")}])`, from: w.stranger, to: w.addresses.escrow,
    data: enc(w.escrow, "settleBatch", [ids]), expect,
    hints: { trades: ids.filter((id) => id <= BigInt(m.trades.length)), accounts: chosen.flatMap((t) => (t ? [t.seller, t.buyer] : [])) },
  });
}));

// ---------------------------------------------------------------------------- time and certificates

/** Moves time a little, or just past a boundary the model knows of (round end, window, delivery, deadline). */
const travel = fc.record({ kind: fc.constantFrom("small", "boundary", "boundary", "boundary", "far"), pick: fc.nat(), extra: fc.integer({ min: 1, max: 40 }) })
  .map(({ kind, pick, extra }) => new Step(`travel(${kind}, #${pick}, +${extra}s)`, async (ctx) => {
    const { m } = ctx;
    const boundaries: bigint[] = [];
    for (const p of m.periods) {
      if (p.phase === 1) boundaries.push(p.roundEndsAt);
      boundaries.push(p.deliveryStart, p.deliveryEnd, p.settlementDeadline);
    }
    for (const cy of m.cycles) boundaries.push(cy.postingEnds, cy.submissionEnds, cy.deliveryStart, cy.deliveryEnd, cy.settlementDeadline);
    const future = boundaries.filter((b) => b > m.now).sort((a, b) => (a < b ? -1 : 1));
    let at = m.now + BigInt(extra) * 15n;
    if (kind === "boundary" && future.length) at = future[pick % Math.min(3, future.length)] + BigInt(extra);
    if (kind === "far" && future.length) at = future[future.length - 1] + BigInt(extra);
    await travelTo(ctx, at, `time:${kind}`);
  }));

async function holdings(w: World, m: Model): Promise<{ holder: string; vintage: bigint; amount: bigint }[]> {
  const vintages = [...new Set(m.trades.filter((t) => t.status === 2).map((t) => t.period))];
  if (!vintages.length) return [];
  const holders = [...actors(w).map((a) => a.address), w.stranger];
  const accounts = vintages.flatMap(() => holders);
  const ids = vintages.flatMap((v) => holders.map(() => v));
  const balances = await w.certificates.balanceOfBatch(accounts, ids);
  return balances.map((amount, i) => ({ holder: accounts[i], vintage: ids[i], amount })).filter((h) => h.amount > 0n);
}

const certificate = fc
  .record({ op: fc.constantFrom("transfer", "retire", "retire"), pick: fc.nat(), percent: fc.nat({ max: 120 }), to: fc.nat(), empty: fc.nat({ max: 9 }) })
  .map((c) => new Step(`certificate(${JSON.stringify(c)})`, async (ctx) => {
    const { w, m } = ctx;
    const held = await holdings(w, m);
    const h = held.length ? held[c.pick % held.length] : { holder: w.prosumers[c.pick % 6].address, vintage: 1n, amount: 0n };
    const amount = pct(h.amount, c.percent);
    const too = amount > h.amount;
    if (c.op === "transfer") {
      const to = [...actors(w).map((a) => a.address), w.stranger][c.to % 9];
      await one(ctx, {
        kind: "certificate:transfer", label: `safeTransferFrom(${h.holder.slice(0, 8)} -> ${to.slice(0, 8)}, vintage ${h.vintage}, ${amount})`,
        from: h.holder, to: w.addresses.certificates,
        data: enc(w.certificates, "safeTransferFrom", [h.holder, to, h.vintage, amount, "0x"]), expect: !too,
        errors: too ? ["ERC1155InsufficientBalance"] : undefined,
      });
      return;
    }
    const beneficiary = c.empty === 0 ? "" : "GreenGrid fuzz";
    const refusal = amount === 0n ? "CertificateZeroAmount" : beneficiary === "" ? "CertificateInvalidBeneficiary" : too ? "ERC1155InsufficientBalance" : null;
    await one(ctx, {
      kind: "certificate:retire", label: `retire(${h.holder.slice(0, 8)}, vintage ${h.vintage}, ${amount})`, from: h.holder,
      to: w.addresses.certificates, data: enc(w.certificates, "retire", [h.vintage, amount, beneficiary]),
      expect: refusal === null, errors: refusal ? [refusal] : undefined,
    });
  }));

/** An ask and a bid by two prosumers, so that the period has both sides. */
const orderPair = fc
  .record({ seller: fc.nat(), buyer: fc.nat(), sellerWh: fc.bigInt({ min: 100n, max: 8000n }), buyerWh: fc.bigInt({ min: 100n, max: 8000n }),
    ask: fc.integer({ min: 30, max: 80 }), bid: fc.integer({ min: 50, max: 100 }) })
  .map((o) => new Step(`orderPair(${show(o)})`, async (ctx) => {
    const { w, m } = ctx;
    const accepting = m.periods.filter((p) => p.phase === 1 && p.round === 1).sort((x, y) => y.orders.length - x.orders.length);
    const p = accepting[0];
    if (!p) return travelTo(ctx, m.now + 30n);
    const free = w.prosumers.filter((a) => !p.orders.some((x) => lower(x.participant) === lower(a.address) && !x.cancelled));
    for (const [side, pick, energy, ticks] of [[0, o.seller, o.sellerWh, o.ask], [1, o.buyer, o.buyerWh, o.bid]] as const) {
      const a = free.length ? free.splice(pick % free.length, 1)[0] : w.prosumers[pick % w.prosumers.length];
      const price = BigInt(ticks) * TICK;
      const refusal = orderRefusal(w, m, p, a, side, energy, price);
      await one(ctx, {
        kind: "placeOrder", label: `placeOrder(${a.name}, period ${p.id}, ${side ? "bid" : "ask"} ${energy} Wh at ${price})`,
        from: a.address, to: w.addresses.auction, data: enc(w.auction, "placeOrder", [p.id, side, energy, price]),
        expect: refusal === null, errors: refusal ? [refusal] : undefined, hints: { periods: [p.id] },
      });
    }
  }));

/** An offer and a request by two prosumers in the newest cycle still taking posts. */
const postPair = fc
  .record({ provider: fc.nat(), user: fc.nat(), price: fc.bigInt({ min: 100_000n, max: 600_000n }), capacity: fc.bigInt({ min: 500n, max: 15_000n }),
    energy: fc.bigInt({ min: 100n, max: 8000n }), maxPrice: fc.bigInt({ min: 300_000n, max: 950_000n }) })
  .map((o) => new Step(`postPair(${show(o)})`, async (ctx) => {
    const { w, m } = ctx;
    const cy = [...m.cycles].reverse().find((x) => reached(m, x.postingEnds) === false);
    if (!cy) return travelTo(ctx, m.now + 30n);
    const posted = (a: Actor) => [...cy.offers.map((x) => x.provider), ...cy.requests.map((x) => x.user)].some((x) => lower(x) === lower(a.address));
    const free = w.prosumers.filter((a) => !posted(a));
    for (const [kind, pick, price, energy] of [["postOffer", o.provider, o.price, o.capacity], ["postRequest", o.user, o.maxPrice, o.energy]] as const) {
      const a = free.length ? free.splice(pick % free.length, 1)[0] : w.prosumers[pick % w.prosumers.length];
      const asOffer = kind === "postOffer";
      const lock = cy.margin + (asOffer ? 0n : costUp(energy, price));
      const refusal = postingRefusal(m, cy, a, asOffer, price, energy, lock);
      await one(ctx, {
        kind, label: `${kind}(${a.name}, cycle ${cy.id}, ${price}/kWh, ${energy} Wh)`, from: a.address, to: w.addresses.matching,
        data: enc(w.matching, kind, asOffer ? [cy.id, price, energy] : [cy.id, energy, price]),
        expect: refusal === null, errors: refusal ? [refusal] : undefined,
        hints: { participants: [a.address] },
      });
    }
  }));

/** What a market's first minutes look like: participants join, fund, quote and post. */
const early: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: orderPair, weight: 5 },
  { arbitrary: postPair, weight: 5 },
  { arbitrary: placeOrder, weight: 10 },
  { arbitrary: posting("postOffer"), weight: 4 },
  { arbitrary: posting("postRequest"), weight: 5 },
  { arbitrary: register, weight: 1 },
  { arbitrary: review, weight: 1 },
  { arbitrary: deposit, weight: 1 },
  { arbitrary: cancelOrder, weight: 1 },
);

/** Every action, weighted so that a sequence of 20-50 often lives through a whole period or cycle. */
export const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: register, weight: 2 },
  { arbitrary: review, weight: 3 },
  { arbitrary: delist, weight: 1 },
  { arbitrary: settlementAccount, weight: 1 },
  { arbitrary: deposit, weight: 3 },
  { arbitrary: withdraw, weight: 3 },
  { arbitrary: fundRewards, weight: 1 },
  { arbitrary: claimReward, weight: 2 },
  { arbitrary: openPeriodOf(false), weight: 1 },
  { arbitrary: placeOrder, weight: 10 },
  { arbitrary: orderPair, weight: 3 },
  { arbitrary: postPair, weight: 2 },
  { arbitrary: revise, weight: 4 },
  { arbitrary: cancelOrder, weight: 2 },
  { arbitrary: closeRound, weight: 6 },
  { arbitrary: finalizeAuctionOf(false), weight: 4 },
  { arbitrary: openCycleOf(false), weight: 1 },
  { arbitrary: posting("postOffer"), weight: 5 },
  { arbitrary: posting("postRequest"), weight: 6 },
  { arbitrary: cancelling("cancelOffer"), weight: 1 },
  { arbitrary: cancelling("cancelRequest"), weight: 1 },
  { arbitrary: submitAssignmentOf(false), weight: 5 },
  { arbitrary: finalizeCycleOf(false), weight: 4 },
  { arbitrary: updateReputation, weight: 2 },
  { arbitrary: reading, weight: 10 },
  { arbitrary: readingBatch, weight: 3 },
  { arbitrary: settle, weight: 5 },
  { arbitrary: settleBatch, weight: 2 },
  { arbitrary: travel, weight: 8 },
  { arbitrary: certificate, weight: 2 },
);

/**
 * A sequence of minLength..maxLength actions: it opens one auction period and one matching cycle, lets the
 * participants quote and post for a while, closes and finalizes both (so that most later actions have trades
 * to act on), then any mix of every action.
 */
export function sequence(minLength: number, maxLength: number): fc.Arbitrary<Step[]> {
  const opening = 2 + 6 + 3;
  return fc
    .tuple(
      openPeriodOf(true),
      openCycleOf(true),
      fc.array(early, { minLength: 6, maxLength: 12 }),
      // the first period and cycle trade (their trades then meet every later action)
      fc.tuple(finalizeAuctionOf(true), submitAssignmentOf(true), finalizeCycleOf(true)),
      fc.array(step, { minLength: minLength - opening, maxLength: maxLength - opening - 6, size: "max" }),
    )
    .map(([period, cycle, first, close, rest]) => [period, cycle, ...first, ...close, ...rest]);
}
