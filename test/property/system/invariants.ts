import { coreOrders } from "../../../src/chain/auction";
import { clearMarket } from "../../../src/core/auction/clearing";
import type { Order } from "../../../src/core/auction/types";
import { checkAssignment, emaWad, meanRatioWad, rcMicro, WAD, type MatchingCycle } from "../../../src/core/matching";
import { costDown, settleTrade } from "../../../src/core/settlement";
import { heldByOpenTrades, lower, type CycleM, type Model, type PeriodM, type TradeM } from "./model";
import type { Event, Probe, Query, World } from "./world";

/** Counts every invariant evaluation; a failed one throws with the action's label. */
export class Checks {
  evaluations = 0;
  label = "";
  that(condition: boolean, invariant: string, detail: () => string = () => ""): void {
    this.evaluations += 1;
    if (!condition) throw new Error(`invariant "${invariant}" broken after ${this.label}: ${detail()}`);
  }
}

/** How often the rarer paths happened (printed with the figures, to show the sequences reach them). */
export const seen = new Map<string, number>();
const saw = (what: string) => seen.set(what, (seen.get(what) ?? 0) + 1);

const MARKETS = ["empty", "buyer", "seller", "balanced"] as const;
const NONE = 0xffff_ffffn;


/** A cycle in the assignment twin's terms, from what the offers and requests snapshotted when posted. */
export function coreCycle(w: World, c: CycleM): MatchingCycle {
  return {
    offers: c.offers.map((o) => ({
      pricePerKwh: o.price,
      capacityWh: o.capacityWh,
      rcMicro: o.rcMicro,
      region: o.region,
      voltageLevel: o.voltageLevel,
      cancelled: o.cancelled,
    })),
    requests: c.requests.map((r) => ({
      energyWh: r.energyWh,
      maxPricePerKwh: r.maxPrice,
      region: r.region,
      voltageLevel: r.voltageLevel,
      cancelled: r.cancelled,
    })),
    fees: {
      baseFeePerKwh: c.baseFee,
      distanceFeePerKwh: c.distanceFee,
      distance: (a, b) => (a === b ? 0n : w.distance12),
    },
  };
}

const big = (v: unknown) => BigInt(v as bigint);

/**
 * Walks a successful transaction's events in order: checks each against the model (and the twins), then
 * records it. Returns the ids of the trades it created, whose terms the caller reads once.
 */
export function applyEvents(w: World, m: Model, events: readonly Event[], c: Checks): bigint[] {
  const created: bigint[] = [];
  const settledHere = new Set<bigint>();
  for (const e of events) {
    const a = e.args;
    const key = `${e.contract}.${e.name}`;
    switch (key) {
      case "registry.StatusChanged": {
        const account = lower(a.account);
        c.that((m.status.get(account) ?? 0) === Number(a.from), "registry status follows the model", () => `${account}`);
        m.status.set(account, Number(a.to));
        break;
      }
      case "registry.TradeOpened": {
        const account = lower(a.account);
        const open = (m.openTrades.get(account) ?? 0) + 1;
        c.that(open === Number(a.openTrades), "open trade counter counts trades", () => `${open} vs ${a.openTrades}`);
        m.openTrades.set(account, open);
        break;
      }
      case "registry.TradeClosed": {
        const account = lower(a.account);
        const open = (m.openTrades.get(account) ?? 0) - 1;
        c.that(open === Number(a.openTrades) && open >= 0, "open trade counter counts trades");
        m.openTrades.set(account, open);
        if (a.defaulted) m.defaults.set(account, (m.defaults.get(account) ?? 0) + 1);
        break;
      }
      case "auction.PeriodOpened": {
        const p = a.params;
        c.that(big(a.periodId) === BigInt(m.periods.length + 1), "period ids are consecutive");
        m.periods.push({
          id: big(a.periodId),
          region: Number(p.region),
          tick: big(p.tick),
          feedIn: big(p.feedInTariff),
          retail: big(p.retailTariff),
          roundDuration: big(p.roundDuration),
          maxRounds: Number(p.maxRounds),
          orderCap: Number(p.orderCap),
          margin: big(p.margin),
          deliveryStart: big(p.deliveryStart),
          deliveryEnd: big(p.deliveryEnd),
          settlementDeadline: big(p.settlementDeadline),
          phase: 1,
          round: 1,
          roundEndsAt: 0n, // read from the chain by checkReport
          revisions: 0,
          orders: [],
          roundsClosed: new Set(),
          finalPrice: null,
          merit: null,
          allocations: null,
        });
        break;
      }
      case "auction.OrderPlaced": {
        const p = m.periods[Number(a.periodId) - 1];
        c.that(Number(a.orderIndex) === p.orders.length, "order indices are consecutive");
        p.orders.push({
          index: Number(a.orderIndex),
          participant: a.participant,
          side: Number(a.side) === 0 ? "seller" : "buyer",
          energyWh: big(a.energyWh),
          quote: big(a.price),
          firstQuote: big(a.price),
          cancelled: false,
          matchedWh: 0n,
          released: false,
        });
        break;
      }
      case "auction.OrderReleased": {
        const o = m.periods[Number(a.periodId) - 1].orders[Number(a.orderIndex)];
        c.that(!o.cancelled && !o.released, "an order is released once, and never after a cancel");
        o.released = true;
        if ((m.periods[Number(a.periodId) - 1].allocations?.get(o.index) ?? 0n) > 0n) saw("auction: a match released after the settlement deadline");
        break;
      }
      case "auction.OrderCancelled":
        m.periods[Number(a.periodId) - 1].orders[Number(a.orderIndex)].cancelled = true;
        break;
      case "auction.QuoteRevised": {
        const p = m.periods[Number(a.periodId) - 1];
        const o = p.orders[Number(a.orderIndex)];
        c.that(Number(a.round) === p.round && p.round >= 2, "revisions happen in rounds 2 and later");
        const within = o.side === "seller" ? big(a.newQuote) >= o.firstQuote : big(a.newQuote) <= o.firstQuote;
        c.that(within && big(a.oldQuote) === o.quote, "a revision stays within the reservation");
        o.quote = big(a.newQuote);
        p.revisions += 1;
        break;
      }
      case "auction.RoundClosed":
        roundClosed(m, m.periods[Number(a.periodId) - 1], a, c);
        break;
      case "auction.AuctionEnded": {
        const p = m.periods[Number(a.periodId) - 1];
        // RoundClosed of the same receipt already moved the model to the next round
        c.that(p.phase === 1 && Number(a.rounds) === p.round - 1, "an auction ends once, in its last round");
        p.round = Number(a.rounds);
        p.phase = 2;
        p.finalPrice = big(a.price);
        p.merit = m.submitted.merit ?? null;
        const clearing = clearMarket(coreOrders(p));
        p.allocations = new Map([...clearing.allocations].map(([id, wh]) => [Number(id), wh]));
        break;
      }
      case "auction.TradeMatched": {
        const p = m.periods[Number(a.periodId) - 1];
        const seller = p.orders[Number(a.sellerOrder)];
        const buyer = p.orders[Number(a.buyerOrder)];
        const energy = big(a.energyWh);
        c.that(p.phase === 2, "trades are matched only after the auction ended");
        c.that(big(a.price) === p.finalPrice, "one price per period: every trade at the final price", () =>
          `${a.price} vs ${p.finalPrice}`,
        );
        c.that(seller.side === "seller" && buyer.side === "buyer" && energy > 0n, "a trade matches a seller and a buyer");
        seller.matchedWh += energy;
        buyer.matchedWh += energy;
        for (const o of [seller, buyer]) {
          c.that(o.matchedWh <= (p.allocations!.get(o.index) ?? 0n) && o.matchedWh <= o.energyWh,
            "matched energy within its order and its allocation", () => `order ${o.index}: ${o.matchedWh} of ${o.energyWh}`);
        }
        const t = m.trades[Number(a.tradeId) - 1];
        c.that(t && t.energyWh === energy && t.price === p.finalPrice && t.period === p.id, "the escrow trade is the matched one");
        break;
      }
      case "auction.PeriodFinalized": {
        const p = m.periods[Number(a.periodId) - 1];
        c.that(p.phase === 2, "a period is finalized once, after it cleared");
        p.phase = 3;
        for (const o of p.orders) {
          const expected = o.cancelled ? 0n : p.allocations!.get(o.index) ?? 0n;
          // after the settlement deadline finalize releases what it could not trade any more
          c.that(o.matchedWh === expected || (o.released && o.matchedWh < expected), "every order trades exactly its allocation",
            () => `period ${p.id} order ${o.index}: ${o.matchedWh} vs ${expected}`);
          c.that(o.cancelled || o.released || o.matchedWh > 0n, "every order of a finalized period traded or was released");
        }
        break;
      }
      case "matching.CycleOpened": {
        const p = a.params;
        c.that(big(a.cycleId) === BigInt(m.cycles.length + 1), "cycle ids are consecutive");
        m.cycles.push({
          id: big(a.cycleId),
          region: Number(p.region),
          postingEnds: big(p.postingEnds),
          submissionEnds: big(p.submissionEnds),
          deliveryStart: big(p.deliveryStart),
          deliveryEnd: big(p.deliveryEnd),
          settlementDeadline: big(p.settlementDeadline),
          requestCap: Number(p.requestCap),
          offerCap: Number(p.offerCap),
          margin: big(p.margin),
          alphaWad: big(a.alphaWad),
          baseFee: [...a.fees.baseFeePerKwh].map(big),
          distanceFee: [...a.fees.distanceFeePerKwh].map(big),
          offers: [],
          requests: [],
          best: null,
          finalized: false,
          applied: false,
          ratios: new Map(),
        });
        break;
      }
      case "matching.OfferPosted": {
        const cy = m.cycles[Number(a.cycleId) - 1];
        const actor = actorOf(w, a.provider);
        const expectedRc = rcMicro(m.reputation.get(lower(a.provider)) ?? 0n);
        c.that(big(a.rcMicro) === expectedRc, "an offer snapshots the provider's reputation", () =>
          `${a.rcMicro} vs ${expectedRc}`,
        );
        cy.offers.push({
          index: Number(a.offer),
          provider: a.provider,
          price: big(a.pricePerKwh),
          capacityWh: big(a.capacityWh),
          rcMicro: big(a.rcMicro),
          region: actor.region,
          voltageLevel: actor.voltageLevel,
          cancelled: false,
          matchedWh: 0n,
        });
        break;
      }
      case "matching.RequestPosted": {
        const cy = m.cycles[Number(a.cycleId) - 1];
        const actor = actorOf(w, a.user);
        cy.requests.push({
          index: Number(a.request),
          user: a.user,
          energyWh: big(a.energyWh),
          maxPrice: big(a.maxPricePerKwh),
          region: actor.region,
          voltageLevel: actor.voltageLevel,
          cancelled: false,
          matchedWh: 0n,
        });
        break;
      }
      case "matching.OfferCancelled":
        m.cycles[Number(a.cycleId) - 1].offers[Number(a.offer)].cancelled = true;
        break;
      case "matching.RequestCancelled":
        m.cycles[Number(a.cycleId) - 1].requests[Number(a.request)].cancelled = true;
        break;
      case "matching.AssignmentAccepted": {
        const cy = m.cycles[Number(a.cycleId) - 1];
        const assignment = m.submitted.assignment!;
        const twin = checkAssignment(coreCycle(w, cy), assignment);
        c.that(twin.ok && twin.objective === big(a.objective), "an accepted assignment is feasible (TypeScript twin)", () =>
          JSON.stringify(twin, (_, v) => (typeof v === "bigint" ? v.toString() : v)),
        );
        c.that(!cy.best || big(a.objective) > cy.best.objective, "only a strictly better assignment replaces the best");
        cy.best = { assignment, objective: big(a.objective) };
        break;
      }
      case "matching.AssignmentNotBetter": {
        const cy = m.cycles[Number(a.cycleId) - 1];
        c.that(cy.best !== null && big(a.objective) <= cy.best.objective, "a refused assignment is not better");
        break;
      }
      case "matching.TradeMatched": {
        const cy = m.cycles[Number(a.cycleId) - 1];
        const r = cy.requests[Number(a.request)];
        const o = cy.offers[Number(a.offer)];
        const assigned = cy.best ? cy.best.assignment[r.index] : -1;
        c.that(assigned === o.index && big(a.energyWh) === r.energyWh && big(a.pricePerKwh) === o.price,
          "a matching trade is the accepted pair at the provider's price");
        r.matchedWh += r.energyWh;
        o.matchedWh += r.energyWh;
        c.that(r.matchedWh === r.energyWh && o.matchedWh <= o.capacityWh, "matched energy within its offer and request",
          () => `offer ${o.index}: ${o.matchedWh} of ${o.capacityWh}`);
        const t = m.trades[Number(a.tradeId) - 1];
        c.that(t && t.energyWh === r.energyWh && t.price === o.price && t.period === cy.id, "the escrow trade is the matched one");
        break;
      }
      case "matching.MatchExpired":
        saw("matching: a match expired (finalized after delivery start)");
        break;
      case "escrow.MarginForfeited":
        saw("escrow: a margin forfeited to the counterparty");
        break;
      case "escrow.CertificatesDeferred":
        saw("escrow: certificates deferred");
        break;
      case "certificates.CertificateIssued":
        saw("certificates: issued at settlement");
        break;
      case "matching.CycleFinalized": {
        const cy = m.cycles[Number(a.cycleId) - 1];
        c.that(!cy.finalized, "a cycle is finalized once");
        cy.finalized = true;
        break;
      }
      case "matching.DeliveryRecorded": {
        const cy = m.cycles[Number(a.cycleId) - 1];
        const t = m.trades[Number(a.tradeId) - 1];
        c.that(t.market === "matching" && t.period === cy.id && lower(t.seller) === lower(a.provider) && !cy.applied,
          "a delivery is recorded for its own cycle and provider, before reputation is applied");
        c.that(big(a.ratioWad) >= 0n && big(a.ratioWad) <= WAD, "a delivery ratio lies in [0, 1]");
        const list = cy.ratios.get(lower(a.provider)) ?? [];
        list.push(big(a.ratioWad));
        cy.ratios.set(lower(a.provider), list);
        break;
      }
      case "matching.ReputationUpdated": {
        const cy = m.cycles[Number(a.cycleId) - 1];
        const provider = lower(a.provider);
        const current = meanRatioWad(cy.ratios.get(provider) ?? []);
        const previous = m.reputation.get(provider) ?? 0n;
        const expected = emaWad(cy.alphaWad, current, previous);
        c.that(big(a.currentWad) === current && big(a.comprehensiveWad) === expected,
          "reputation follows the EMA twin", () => `${a.comprehensiveWad} vs ${expected}`);
        c.that(expected >= 0n && expected <= WAD, "reputation within [0, 1]");
        m.reputation.set(provider, expected);
        break;
      }
      case "matching.ReputationApplied": {
        if (Number(a.providers) > 0) saw("matching: reputation moved by settled deliveries");
        const cy = m.cycles[Number(a.cycleId) - 1];
        c.that(cy.finalized && !cy.applied && Number(a.cycleId) === m.lastApplied + 1, "cycles apply reputation in order, once");
        cy.applied = true;
        m.lastApplied = Number(a.cycleId);
        break;
      }
      case "escrow.TradeCreated": {
        const id = big(a.tradeId);
        c.that(id === BigInt(m.trades.length + 1), "trade ids are consecutive");
        c.that(big(a.prepayment) >= costDown(big(a.energyWh), big(a.pricePerKwh)), "a prepayment covers the largest payment");
        m.trades.push({
          id,
          market: lower(a.market) === lower(w.addresses.auction) ? "auction" : "matching",
          period: big(a.period),
          seller: a.seller,
          buyer: a.buyer,
          energyWh: big(a.energyWh),
          price: big(a.pricePerKwh),
          prepayment: big(a.prepayment),
          terms: null,
          status: 1,
          provider: null,
          user: null,
          unpaid: 0n,
        });
        created.push(id);
        break;
      }
      case "escrow.ReadingAccepted": {
        const device = lower(a.device);
        const last = m.lastSeq.get(device) ?? 0n;
        c.that(big(a.sequence) > last, "meter sequence numbers strictly increase per device", () =>
          `${device}: ${a.sequence} after ${last}`,
        );
        m.lastSeq.set(device, big(a.sequence));
        const t = m.trades[Number(a.tradeId) - 1];
        const side = Number(a.side) === 0 ? "provider" : "user";
        const previous = t[side];
        c.that(t.status === 1 && (previous === null || big(a.energyWh) >= previous), "readings are cumulative, on open trades");
        t[side] = big(a.energyWh);
        break;
      }
      case "escrow.TradeSettled": {
        const t = m.trades[Number(a.tradeId) - 1];
        c.that(t.status === 1, "no trade is settled twice", () => `trade ${t.id}`);
        t.status = 2;
        settledHere.add(t.id);
        checkSettlement(t, a, c);
        break;
      }
      case "escrow.HonestyRewardUnpaid":
        m.trades[Number(a.tradeId) - 1].unpaid = big(a.amount);
        saw("escrow: an honesty reward left unpaid (pool short)");
        break;
      case "escrow.HonestyRewardPaid": {
        const t = m.trades[Number(a.tradeId) - 1];
        if (!settledHere.has(t.id)) {
          saw("escrow: an unpaid reward claimed");
          c.that(big(a.amount) <= t.unpaid && big(a.amount) > 0n, "a claimed reward was owed");
          t.unpaid -= big(a.amount);
        }
        break;
      }
      default:
        break;
    }
  }
  return created;
}

function actorOf(w: World, account: string) {
  const actor = [...w.prosumers, ...w.newcomers].find((x) => lower(x.address) === lower(account));
  if (!actor) throw new Error(`unknown participant ${account}`);
  return actor;
}

function roundClosed(m: Model, p: PeriodM, a: Event["args"], c: Checks): void {
  const round = Number(a.round);
  c.that(p.phase === 1 && round === p.round && !p.roundsClosed.has(round), "one RoundClosed per period and round", () =>
    `period ${p.id} round ${round}`,
  );
  p.roundsClosed.add(round);
  c.that(Number(a.revisions) === p.revisions, "a round counts its revisions");
  const ref = clearMarket(coreOrders(p));
  const position = (r: typeof ref.marginal) => (r === null ? NONE : BigInt(r.id));
  c.that(
    MARKETS[Number(a.market)] === ref.market &&
      big(a.price) === ref.price &&
      big(a.supplyWh) === ref.supplyWh &&
      big(a.demandWh) === ref.demandWh &&
      big(a.marginalOrder) === position(ref.marginal) &&
      big(a.priceSetterOrder) === position(ref.priceSetter),
    "a round clears as the reference clearing does",
    () => `chain ${MARKETS[Number(a.market)]} at ${a.price}, reference ${ref.market} at ${ref.price}`,
  );
  // the next round, unless this one ended the auction (AuctionEnded follows in the same receipt)
  p.round = round + 1;
  p.revisions = 0;
}

/** A settled trade, compared with the settlement twin on the readings the model saw. */
function checkSettlement(t: TradeM, a: Event["args"], c: Checks): void {
  const terms = t.terms!;
  const twin = settleTrade({
    agreedWh: t.energyWh,
    pricePerKwh: t.price,
    lossToleranceBps: terms.lossToleranceBps,
    reward: terms.reward,
    prepayment: t.prepayment,
    sellerMargin: terms.sellerMargin,
    buyerMargin: terms.buyerMargin,
    providerWh: t.provider,
    userWh: t.user,
  });
  c.that(
    big(a.providerWh) === twin.rhoWh &&
      big(a.userWh) === twin.gammaWh &&
      a.providerDefaulted === twin.providerDefaulted &&
      a.userDefaulted === twin.userDefaulted &&
      big(a.sellerPayment) === twin.sellerPayment &&
      big(a.buyerRefund) === twin.buyerRefund,
    "settlement equals the settlement twin",
    () => `trade ${t.id}: payment ${a.sellerPayment} vs ${twin.sellerPayment}`,
  );
}

/** What an action's events touched, to be read back from the chain. */
export function queryFor(w: World, m: Model, events: readonly Event[], hints: Partial<Query>): Query {
  const known = new Set(w.accounts.map(lower));
  const q = {
    accounts: new Set((hints.accounts ?? []).map(lower)),
    locks: new Set((hints.locks ?? []).map(lower)),
    periods: new Set(hints.periods ?? []),
    trades: new Set(hints.trades ?? []),
    devices: new Set((hints.devices ?? []).map(lower)),
    participants: new Set((hints.participants ?? []).map(lower)),
  };
  for (const e of events) {
    if (e.contract === "token" || e.contract === "certificates") continue;
    // the markets' locks move only with these events (lock, unlock, a trade taking its funds)
    const locking = e.contract === "escrow" && (e.name === "Locked" || e.name === "Unlocked" || e.name === "TradeCreated");
    for (const [name, value] of Object.entries(e.args.toObject())) {
      if (typeof value === "string" && known.has(lower(value))) {
        q.accounts.add(lower(value));
        if (locking) q.locks.add(lower(value));
      }
      if (name === "periodId") q.periods.add(BigInt(value as bigint));
      if (name === "tradeId" && BigInt(value as bigint) > 0n) q.trades.add(BigInt(value as bigint));
      if (name === "device") q.devices.add(lower(value as string));
    }
    if (e.name === "StatusChanged" || e.name === "ReputationUpdated") {
      q.participants.add(lower((e.args.account ?? e.args.provider) as string));
    }
  }
  return {
    accounts: [...q.accounts],
    locks: [...q.locks],
    periods: [...q.periods].filter((id) => id >= 1n && id <= BigInt(m.periods.length)),
    cycles: m.cycles.map((cy) => cy.id),
    devices: [...q.devices],
    trades: [...q.trades].filter((id) => id >= 1n && id <= BigInt(m.trades.length)),
    participants: [...q.participants],
  };
}

/** Everything, for the start and the end of a sequence. */
export function fullQuery(w: World, m: Model): Query {
  return {
    accounts: w.accounts.map(lower),
    locks: w.accounts.map(lower),
    periods: m.periods.map((p) => p.id),
    cycles: m.cycles.map((cy) => cy.id),
    devices: w.devices.map(lower),
    trades: m.trades.map((t) => t.id),
    participants: w.accounts.map(lower),
  };
}

/**
 * The invariants read from the chain after every action: the escrow's totals always, the rest for what the
 * action touched (the cache holds every other account, so the sums still run over all of them).
 */
export function checkProbe(w: World, m: Model, q: Query, p: Probe, reverted: boolean, c: Checks): void {
  c.that(p.tokenBalance === p.totalFree + p.totalLocked + p.rewardPool, "token conservation: balance == free + locked + pool",
    () => `${p.tokenBalance} vs ${p.totalFree} + ${p.totalLocked} + ${p.rewardPool}`);
  const t = m.totals;
  if (reverted) {
    c.that(p.tokenBalance === t.tokenBalance && p.totalFree === t.totalFree && p.totalLocked === t.totalLocked &&
      p.rewardPool === t.rewardPool, "a reverted action changed nothing: the escrow's totals");
    q.accounts.forEach((a, i) => {
      const before = m.balances.get(a);
      const now = p.accounts[i];
      c.that(before !== undefined && before.free === now.free && before.locked === now.locked,
        "a reverted action changed nothing: the balances of the accounts it named", () => a);
    });
    q.locks.forEach((a, i) => {
      c.that(m.balances.get(a)?.byMarkets === p.locks[i], "a reverted action changed nothing: the markets' locks", () => a);
    });
    q.periods.forEach((id, i) => {
      const before = m.chainPeriods.get(id);
      const now = p.periods[i];
      c.that(!before || (before.phase === now.phase && before.round === now.round && before.roundEndsAt === now.roundEndsAt),
        "a reverted action changed nothing: the period it named");
    });
  }
  m.totals = { tokenBalance: p.tokenBalance, totalFree: p.totalFree, totalLocked: p.totalLocked, rewardPool: p.rewardPool };
  const locks = new Map(q.locks.map((a, i) => [a, p.locks[i]]));
  q.accounts.forEach((a, i) => {
    const b = { ...p.accounts[i], byMarkets: locks.get(a) ?? m.balances.get(a)?.byMarkets ?? 0n };
    m.balances.set(a, b);
    c.that(b.locked === b.byMarkets + heldByOpenTrades(m, a), "every locked balance == the markets' locks + its open trades",
      () => `${a}: ${b.locked} vs ${b.byMarkets} + ${heldByOpenTrades(m, a)}`);
  });
  let free = 0n;
  let locked = 0n;
  for (const b of m.balances.values()) {
    free += b.free;
    locked += b.locked;
  }
  c.that(free === p.totalFree && locked === p.totalLocked, "per-account balances sum to the totals",
    () => `free ${free} vs ${p.totalFree}, locked ${locked} vs ${p.totalLocked}`);
  q.periods.forEach((id, i) => {
    const chain = p.periods[i];
    const model = m.periods[Number(id) - 1];
    const before = m.chainPeriods.get(id);
    c.that(chain.phase === model.phase && chain.round === model.round, "period phase and round follow the model",
      () => `period ${id}: ${chain.phase}/${chain.round} vs ${model.phase}/${model.round}`);
    if (before) c.that(chain.phase >= before.phase && chain.round >= before.round, "period phases and rounds never go back");
    model.roundEndsAt = chain.roundEndsAt;
    m.chainPeriods.set(id, chain);
  });
  q.cycles.forEach((id, i) => {
    const phase = p.cycles[i];
    const before = m.chainCycles.get(id);
    if (before !== undefined) c.that(phase >= before, "cycle phases never go back", () => `cycle ${id}: ${before} -> ${phase}`);
    const cy = m.cycles[Number(id) - 1];
    const expected = cy.applied ? 5 : cy.finalized ? 4 : null;
    c.that(expected === null ? phase >= 1 && phase <= 3 : phase === expected, "cycle phase follows the model");
    m.chainCycles.set(id, phase);
  });
  q.devices.forEach((d, i) => {
    c.that(p.devices[i] === (m.lastSeq.get(d) ?? 0n), "the last meter sequence follows the accepted readings", () => d);
  });
  q.trades.forEach((id, i) => {
    c.that(p.trades[i] === m.trades[Number(id) - 1].status, "trade status follows the model (and never goes back)");
  });
  q.participants.forEach((a, i) => {
    const r = p.participants[i];
    c.that(r.reputationWad >= 0n && r.reputationWad <= WAD, "reputation within [0, 1]");
    c.that(r.reputationWad === (m.reputation.get(a) ?? 0n), "reputation follows the model");
    if (r.status !== 0) c.that(r.registryReputationWad === r.reputationWad, "the registry mirrors the reputation");
    c.that(r.status === (m.status.get(a) ?? 0), "registry status follows the model", () => `${a}: ${r.status}`);
  });
  c.that(w.clock.last === 0n || p.timestamp === w.clock.last, "the chain's time is the fuzz's own clock", () =>
    `block ${p.timestamp}, clock ${w.clock.last}`);
  m.now = p.timestamp;
}
