import { AbiCoder, id, keccak256 } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { IDoubleAuction } from "../../../typechain-types/contracts/DoubleAuction";
import { worldFixture } from "../../helpers/securityFixtures";
import { viewDigest } from "../../helpers/viewDigest";
import { GEUR, cast, escrowDigest, onboard } from "./marketSetup";
import type { NegativeCase, NegativeSuite } from "./types";

const ADMIN_ROLE = "0x" + "0".repeat(64);
const OPERATOR_ROLE = id("OPERATOR_ROLE");
const SELLER = 0;
const BUYER = 1;
const Phase = { Open: 1, Cleared: 2, Finalized: 3 } as const;
const Eligibility = { NotApproved: 1, Suspended: 2 } as const;
const TICK = 10_000n;
const FEED_IN = 300_000n; // 0.30 per kWh
const RETAIL = 1_000_000n; // 1.00 per kWh
const MARGIN = GEUR;
const price = (currency: number) => BigInt(Math.round(currency * 100)) * TICK;
const costUp = (wh: bigint, p: bigint) => (wh * p + 999n) / 1000n;
const hashOf = (sellers: readonly number[], buyers: readonly number[]) =>
  keccak256(AbiCoder.defaultAbiCoder().encode(["uint32[]", "uint32[]"], [sellers, buyers]));

const ROLES = [
  "admin", // deployer: admin and operator of every contract, and the registry's regulator
  "operator", // OPERATOR_ROLE on the auction only
  "stranger", // never registered
  "s1",
  "s2",
  "s3",
  "b1",
  "b2",
  "quitter", // cancels its orders in round 1
  "pending", // registered, not reviewed
  "suspended",
  "poor", // approved, nothing in the escrow
  "thin", // approved, enough for a margin but not for a bid's prepayment
  "south", // region 2
  "late", // approved and funded, without any order
] as const;
type Who = (typeof ROLES)[number];

/** Period ids in the fixture; UNKNOWN is the next id, never opened. */
const P = { round1: 1, round2: 2, roundOver: 3, cleared: 4, finalized: 5, full: 6, south: 7, unknown: 8 } as const;
const ROUND1_ORDERS = { s3: 0, s1: 1, s2: 2, quitter: 3, b1: 4, b2: 5 } as const;
const ROUND2_ORDERS = { s1: 0, s2: 1, quitter: 2, b1: 3, b2: 4 } as const;

async function periodParams(overrides: Partial<IDoubleAuction.PeriodParamsStruct> = {}) {
  const now = BigInt(await time.latest());
  return {
    region: 0,
    tick: TICK,
    feedInTariff: FEED_IN,
    retailTariff: RETAIL,
    roundDuration: 3_600,
    maxRounds: 10,
    orderCap: 100,
    margin: MARGIN,
    deliveryStart: now + 86_400n,
    deliveryEnd: now + 90_000n,
    settlementDeadline: now + 3n * 86_400n,
    ...overrides,
  };
}

/**
 * The whole system with one auction period in every state a call can meet: round 1 with a full book and a
 * cancelled order, round 2 after a revision, round 2 whose time is up, cleared (merit orders committed),
 * finalized (trades in the escrow), full (order cap reached) and region-restricted.
 */
async function auctionFixture() {
  const world = await worldFixture();
  const { auction, registry, token, escrow } = world;
  const who = await cast(ROLES);
  const system = { registry, token, escrow, regulator: who.admin };
  for (const name of ["s1", "s2", "s3", "b1", "b2", "quitter", "late"] as const) await onboard(system, who[name], name);
  await onboard(system, who.pending, "pending", { status: "pending" });
  await onboard(system, who.suspended, "suspended", { status: "suspended" });
  await onboard(system, who.poor, "poor", { deposit: 0n });
  await onboard(system, who.thin, "thin", { deposit: 2n * GEUR });
  await onboard(system, who.south, "south", { region: 2 });
  await auction.connect(who.admin).grantRole(OPERATOR_ROLE, who.operator.address);

  const as = (name: Who) => auction.connect(who[name]);
  const closeSorted = async (periodId: number) => {
    const [sellers, buyers] = await auction.sortedMeritOrders(periodId);
    await as("operator").closeRound(periodId, [...sellers], [...buyers]);
    return { sellers: sellers.map(Number), buyers: buyers.map(Number) };
  };

  // 1: round 1, asks 0.40 / 0.50 / 0.64, a cancelled ask, bids 1.00 / 0.95
  await as("operator").openPeriod(await periodParams());
  await as("s3").placeOrder(P.round1, SELLER, 3_000, price(0.4));
  await as("s1").placeOrder(P.round1, SELLER, 12_000, price(0.5));
  await as("s2").placeOrder(P.round1, SELLER, 13_000, price(0.64));
  await as("quitter").placeOrder(P.round1, SELLER, 1_000, price(0.7));
  await as("b1").placeOrder(P.round1, BUYER, 5_000, price(1.0));
  await as("b2").placeOrder(P.round1, BUYER, 4_000, price(0.95));
  await as("quitter").cancel(P.round1);

  // 2: round 2 with s1's revision 0.50 -> 0.55
  await as("operator").openPeriod(await periodParams());
  await as("s1").placeOrder(P.round2, SELLER, 12_000, price(0.5));
  await as("s2").placeOrder(P.round2, SELLER, 13_000, price(0.64));
  await as("quitter").placeOrder(P.round2, SELLER, 1_000, price(0.7));
  await as("b1").placeOrder(P.round2, BUYER, 5_000, price(1.0));
  await as("b2").placeOrder(P.round2, BUYER, 4_000, price(0.95));
  await as("quitter").cancel(P.round2);
  await closeSorted(P.round2);
  await as("s1").revise(P.round2, price(0.55));

  // 3: round 2 of ten-minute rounds; the clock is moved past it at the end
  await as("operator").openPeriod(await periodParams({ roundDuration: 600 }));
  await as("s1").placeOrder(P.roundOver, SELLER, 2_000, price(0.5));
  await as("b1").placeOrder(P.roundOver, BUYER, 1_000, price(0.9));
  await closeSorted(P.roundOver);

  // 4: cleared after two rounds without revisions; its merit orders are committed
  await as("operator").openPeriod(await periodParams({ maxRounds: 2 }));
  await as("s1").placeOrder(P.cleared, SELLER, 4_000, price(0.6));
  await as("s2").placeOrder(P.cleared, SELLER, 4_000, price(0.45));
  await as("b1").placeOrder(P.cleared, BUYER, 5_000, price(0.8));
  await closeSorted(P.cleared);
  const cleared = await closeSorted(P.cleared);

  // 5: finalized into trades
  await as("operator").openPeriod(await periodParams());
  await as("s3").placeOrder(P.finalized, SELLER, 3_000, price(0.4));
  await as("b2").placeOrder(P.finalized, BUYER, 4_000, price(0.95));
  await closeSorted(P.finalized);
  const finalized = await closeSorted(P.finalized);
  await as("stranger").finalize(P.finalized, finalized.sellers, finalized.buyers, 100);

  // 6: two orders, the cap
  await as("operator").openPeriod(await periodParams({ orderCap: 2 }));
  await as("s1").placeOrder(P.full, SELLER, 1_000, price(0.5));
  await as("b1").placeOrder(P.full, BUYER, 1_000, price(0.9));

  // 7: region 2 only
  await as("operator").openPeriod(await periodParams({ region: 2 }));
  await as("south").placeOrder(P.south, SELLER, 1_000, price(0.5));

  const round1EndsAt = (await auction.state(P.round1)).roundEndsAt;
  const roundOverEndedAt = (await auction.state(P.roundOver)).roundEndsAt;
  await time.increaseTo(roundOverEndedAt + 1n);
  return {
    ...world,
    who,
    round1EndsAt,
    roundOverEndedAt,
    cleared,
    clearedHash: await auction.meritOrderHash(P.cleared),
    params: await periodParams(),
  };
}
type Ctx = Awaited<ReturnType<typeof auctionFixture>>;

const as = (ctx: Ctx, name: Who) => ctx.auction.connect(ctx.who[name]);
const addr = (ctx: Ctx, name: Who) => ctx.who[name].address;

function unauthorized(
  fn: string,
  who: Who,
  role: string,
  send: (ctx: Ctx) => Promise<unknown>,
  title: string,
): NegativeCase<Ctx> {
  return { fn, title, send, error: "AccessControlUnauthorizedAccount", args: (ctx) => [addr(ctx, who), role] };
}

function notEligible(
  fn: string,
  who: "stranger" | "pending" | "suspended",
  send: (ctx: Ctx) => Promise<unknown>,
): NegativeCase<Ctx> {
  const reason = who === "suspended" ? Eligibility.Suspended : Eligibility.NotApproved;
  return {
    fn,
    title: `by the ${who} participant, whom the registry does not admit`,
    send,
    error: "RegistryNotEligible",
    args: (ctx) => [addr(ctx, who), reason],
    declaredBy: (ctx) => ctx.registry,
  };
}

function invalidParams(
  field: string,
  title: string,
  overrides: (ctx: Ctx) => Partial<IDoubleAuction.PeriodParamsStruct>,
): NegativeCase<Ctx> {
  return {
    fn: "openPeriod",
    title,
    send: (ctx) => as(ctx, "operator").openPeriod({ ...ctx.params, ...overrides(ctx) }),
    error: "AuctionInvalidParams",
    args: () => [field],
  };
}

const openPeriodCases: NegativeCase<Ctx>[] = [
  unauthorized(
    "openPeriod",
    "stranger",
    OPERATOR_ROLE,
    (ctx) => as(ctx, "stranger").openPeriod(ctx.params),
    "by a stranger without OPERATOR_ROLE",
  ),
  unauthorized(
    "openPeriod",
    "s1",
    OPERATOR_ROLE,
    (ctx) => as(ctx, "s1").openPeriod(ctx.params),
    "by a trading participant",
  ),
  invalidParams("tick", "a zero tick", () => ({ tick: 0 })),
  invalidParams("feedInTariff", "a feed-in tariff off the tick", () => ({ feedInTariff: FEED_IN + 1n })),
  invalidParams("retailTariff", "a retail tariff equal to the feed-in tariff", () => ({ retailTariff: FEED_IN })),
  invalidParams("roundDuration", "rounds of zero seconds", () => ({ roundDuration: 0 })),
  invalidParams("maxRounds", "a single round (no revision possible)", () => ({ maxRounds: 1 })),
  invalidParams("orderCap", "an order cap above MAX_ORDER_CAP", () => ({ orderCap: 4_097 })),
  invalidParams("margin", "no margin", () => ({ margin: 0 })),
  invalidParams("delivery", "delivery starting in the past", (ctx) => ({
    deliveryStart: ctx.roundOverEndedAt - 3_600n,
  })),
  invalidParams("settlementDeadline", "a settlement deadline before delivery ends", (ctx) => ({
    settlementDeadline: BigInt(ctx.params.deliveryEnd) - 1n,
  })),
];

const placeOrderCases: NegativeCase<Ctx>[] = [
  {
    fn: "placeOrder",
    title: "in a period never opened",
    send: (ctx) => as(ctx, "late").placeOrder(P.unknown, SELLER, 1_000, price(0.5)),
    error: "AuctionUnknownPeriod",
    args: () => [P.unknown],
  },
  {
    fn: "placeOrder",
    title: "in a finalized period",
    send: (ctx) => as(ctx, "late").placeOrder(P.finalized, BUYER, 1_000, price(0.9)),
    error: "AuctionWrongPhase",
    args: () => [P.finalized, Phase.Finalized],
  },
  {
    fn: "placeOrder",
    title: "in round 2, after the order book closed",
    send: (ctx) => as(ctx, "late").placeOrder(P.round2, SELLER, 1_000, price(0.5)),
    error: "AuctionOrdersClosed",
    args: () => [P.round2, 2],
  },
  notEligible("placeOrder", "stranger", (ctx) => as(ctx, "stranger").placeOrder(P.round1, SELLER, 1_000, price(0.5))),
  notEligible("placeOrder", "pending", (ctx) => as(ctx, "pending").placeOrder(P.round1, BUYER, 1_000, price(0.9))),
  notEligible("placeOrder", "suspended", (ctx) => as(ctx, "suspended").placeOrder(P.round1, SELLER, 1_000, price(0.5))),
  {
    fn: "placeOrder",
    title: "from region 1 in a region-2 period",
    send: (ctx) => as(ctx, "s1").placeOrder(P.south, SELLER, 1_000, price(0.5)),
    error: "AuctionWrongRegion",
    args: (ctx) => [addr(ctx, "s1"), 1, 2],
  },
  {
    fn: "placeOrder",
    title: "a second order of the same participant",
    send: (ctx) => as(ctx, "s1").placeOrder(P.round1, BUYER, 1_000, price(0.9)),
    error: "AuctionDuplicateOrder",
    args: (ctx) => [P.round1, addr(ctx, "s1"), ROUND1_ORDERS.s1],
  },
  {
    fn: "placeOrder",
    title: "zero energy",
    send: (ctx) => as(ctx, "late").placeOrder(P.round1, SELLER, 0, price(0.5)),
    error: "AuctionZeroEnergy",
  },
  {
    fn: "placeOrder",
    title: "an ask below the feed-in tariff",
    send: (ctx) => as(ctx, "late").placeOrder(P.round1, SELLER, 1_000, price(0.2)),
    error: "AuctionPriceOutOfRange",
    args: () => [price(0.2), FEED_IN, RETAIL],
  },
  {
    fn: "placeOrder",
    title: "a bid off the tick",
    send: (ctx) => as(ctx, "late").placeOrder(P.round1, BUYER, 1_000, 645_000n),
    error: "AuctionPriceNotOnTick",
    args: () => [645_000n, TICK],
  },
  {
    fn: "placeOrder",
    title: "in a period whose order cap is reached",
    send: (ctx) => as(ctx, "late").placeOrder(P.full, SELLER, 1_000, price(0.5)),
    error: "AuctionOrderCapReached",
    args: () => [P.full, 2],
  },
  {
    fn: "placeOrder",
    title: "an ask without escrow funds for the margin",
    send: (ctx) => as(ctx, "poor").placeOrder(P.round1, SELLER, 1_000, price(0.5)),
    error: "EscrowInsufficientFree",
    args: (ctx) => [addr(ctx, "poor"), 0n, MARGIN],
    declaredBy: (ctx) => ctx.escrow,
  },
  {
    fn: "placeOrder",
    title: "a bid whose prepayment at the retail tariff exceeds the free balance",
    send: (ctx) => as(ctx, "thin").placeOrder(P.round1, BUYER, 5_000, price(0.9)),
    error: "EscrowInsufficientFree",
    args: (ctx) => [addr(ctx, "thin"), 2n * GEUR, MARGIN + costUp(5_000n, RETAIL)],
    declaredBy: (ctx) => ctx.escrow,
  },
];

const reviseCases: NegativeCase<Ctx>[] = [
  {
    fn: "revise",
    title: "in a period never opened",
    send: (ctx) => as(ctx, "s1").revise(P.unknown, price(0.55)),
    error: "AuctionUnknownPeriod",
    args: () => [P.unknown],
  },
  {
    fn: "revise",
    title: "in a cleared period",
    send: (ctx) => as(ctx, "s1").revise(P.cleared, price(0.65)),
    error: "AuctionWrongPhase",
    args: () => [P.cleared, Phase.Cleared],
  },
  {
    fn: "revise",
    title: "in round 1, where the first quote is the reservation",
    send: (ctx) => as(ctx, "s1").revise(P.round1, price(0.55)),
    error: "AuctionRevisionsNotOpen",
    args: () => [P.round1, 1],
  },
  {
    fn: "revise",
    title: "after the round's time is up",
    send: (ctx) => as(ctx, "s1").revise(P.roundOver, price(0.6)),
    error: "AuctionRoundOver",
    args: (ctx) => [P.roundOver, ctx.roundOverEndedAt],
  },
  {
    fn: "revise",
    title: "by a stranger without an order",
    send: (ctx) => as(ctx, "stranger").revise(P.round2, price(0.55)),
    error: "AuctionNoOrder",
    args: (ctx) => [P.round2, addr(ctx, "stranger")],
  },
  {
    fn: "revise",
    title: "by the owner of an order cancelled in round 1",
    send: (ctx) => as(ctx, "quitter").revise(P.round2, price(0.75)),
    error: "AuctionNoOrder",
    args: (ctx) => [P.round2, addr(ctx, "quitter")],
  },
  {
    fn: "revise",
    title: "above the retail tariff",
    send: (ctx) => as(ctx, "s2").revise(P.round2, price(1.1)),
    error: "AuctionPriceOutOfRange",
    args: () => [price(1.1), FEED_IN, RETAIL],
  },
  {
    fn: "revise",
    title: "off the tick",
    send: (ctx) => as(ctx, "s2").revise(P.round2, 705_000n),
    error: "AuctionPriceNotOnTick",
    args: () => [705_000n, TICK],
  },
  {
    fn: "revise",
    title: "an ask below the seller's first quote",
    send: (ctx) => as(ctx, "s1").revise(P.round2, price(0.45)),
    error: "AuctionBeyondReservation",
    args: () => [ROUND2_ORDERS.s1, price(0.45), price(0.5)],
  },
  {
    fn: "revise",
    title: "a bid above the buyer's first quote",
    send: (ctx) => as(ctx, "b2").revise(P.round2, price(0.98)),
    error: "AuctionBeyondReservation",
    args: () => [ROUND2_ORDERS.b2, price(0.98), price(0.95)],
  },
  {
    fn: "revise",
    title: "to the quote already standing",
    send: (ctx) => as(ctx, "s1").revise(P.round2, price(0.55)),
    error: "AuctionQuoteUnchanged",
    args: () => [ROUND2_ORDERS.s1, price(0.55)],
  },
];

const cancelCases: NegativeCase<Ctx>[] = [
  {
    fn: "cancel",
    title: "in a period never opened",
    send: (ctx) => as(ctx, "s1").cancel(P.unknown),
    error: "AuctionUnknownPeriod",
    args: () => [P.unknown],
  },
  {
    fn: "cancel",
    title: "in a cleared period",
    send: (ctx) => as(ctx, "b1").cancel(P.cleared),
    error: "AuctionWrongPhase",
    args: () => [P.cleared, Phase.Cleared],
  },
  {
    fn: "cancel",
    title: "in round 2, when the book is fixed",
    send: (ctx) => as(ctx, "s1").cancel(P.round2),
    error: "AuctionOrdersClosed",
    args: () => [P.round2, 2],
  },
  {
    fn: "cancel",
    title: "by a stranger without an order",
    send: (ctx) => as(ctx, "stranger").cancel(P.round1),
    error: "AuctionNoOrder",
    args: (ctx) => [P.round1, addr(ctx, "stranger")],
  },
  {
    fn: "cancel",
    title: "an order already cancelled",
    send: (ctx) => as(ctx, "quitter").cancel(P.round1),
    error: "AuctionNoOrder",
    args: (ctx) => [P.round1, addr(ctx, "quitter")],
  },
];

const { s3, s1, s2, quitter, b1, b2 } = ROUND1_ORDERS;
const closeRound1 = (ctx: Ctx, sellers: number[], buyers: number[]) =>
  as(ctx, "operator").closeRound(P.round1, sellers, buyers);

const closeRoundCases: NegativeCase<Ctx>[] = [
  {
    fn: "closeRound",
    title: "a period never opened",
    send: (ctx) => as(ctx, "operator").closeRound(P.unknown, [], []),
    error: "AuctionUnknownPeriod",
    args: () => [P.unknown],
  },
  {
    fn: "closeRound",
    title: "a cleared period, with its committed merit orders",
    send: (ctx) => as(ctx, "operator").closeRound(P.cleared, ctx.cleared.sellers, ctx.cleared.buyers),
    error: "AuctionWrongPhase",
    args: () => [P.cleared, Phase.Cleared],
  },
  {
    fn: "closeRound",
    title: "by a stranger before the round's time is up",
    send: (ctx) => as(ctx, "stranger").closeRound(P.round1, [s3, s1, s2], [b1, b2]),
    error: "AuctionRoundNotOver",
    args: (ctx) => [P.round1, ctx.round1EndsAt],
  },
  {
    fn: "closeRound",
    title: "a seller merit order missing the last ask",
    send: (ctx) => closeRound1(ctx, [s3, s1], [b1, b2]),
    error: "AuctionMeritOrderLength",
    args: () => [SELLER, 2, 3],
  },
  {
    fn: "closeRound",
    title: "a buyer merit order with a bid repeated at the end",
    send: (ctx) => closeRound1(ctx, [s3, s1, s2], [b1, b2, b2]),
    error: "AuctionMeritOrderLength",
    args: () => [BUYER, 3, 2],
  },
  {
    fn: "closeRound",
    title: "a seller merit order with a duplicate in place of an ask",
    send: (ctx) => closeRound1(ctx, [s3, s1, s1], [b1, b2]),
    error: "AuctionMeritOrderNotSorted",
    args: () => [SELLER, 2],
  },
  {
    fn: "closeRound",
    title: "a seller merit order out of price order",
    send: (ctx) => closeRound1(ctx, [s1, s3, s2], [b1, b2]),
    error: "AuctionMeritOrderNotSorted",
    args: () => [SELLER, 1],
  },
  {
    fn: "closeRound",
    title: "a buyer merit order out of price order",
    send: (ctx) => closeRound1(ctx, [s3, s1, s2], [b2, b1]),
    error: "AuctionMeritOrderNotSorted",
    args: () => [BUYER, 1],
  },
  {
    fn: "closeRound",
    title: "the cancelled ask in the seller merit order",
    send: (ctx) => closeRound1(ctx, [s3, s1, quitter], [b1, b2]),
    error: "AuctionMeritOrderIndex",
    args: () => [SELLER, 2, quitter],
  },
  {
    fn: "closeRound",
    title: "a bid in the seller merit order",
    send: (ctx) => closeRound1(ctx, [s3, s1, b1], [b1, b2]),
    error: "AuctionMeritOrderIndex",
    args: () => [SELLER, 2, b1],
  },
  {
    fn: "closeRound",
    title: "an order index beyond the book",
    send: (ctx) => closeRound1(ctx, [s3, s1, s2], [b1, 9]),
    error: "AuctionMeritOrderIndex",
    args: () => [BUYER, 1, 9],
  },
  {
    fn: "closeRound",
    title: "by a stranger once the round is over, still with a merit order of the wrong length",
    send: (ctx) => as(ctx, "stranger").closeRound(P.roundOver, [0], []),
    error: "AuctionMeritOrderLength",
    args: () => [BUYER, 0, 1],
  },
];

const finalizeCases: NegativeCase<Ctx>[] = [
  {
    fn: "finalize",
    title: "zero steps",
    send: (ctx) => as(ctx, "stranger").finalize(P.cleared, ctx.cleared.sellers, ctx.cleared.buyers, 0),
    error: "AuctionZeroSteps",
  },
  {
    fn: "finalize",
    title: "a period never opened",
    send: (ctx) => as(ctx, "stranger").finalize(P.unknown, [], [], 10),
    error: "AuctionUnknownPeriod",
    args: () => [P.unknown],
  },
  {
    fn: "finalize",
    title: "a period still in round 1",
    send: (ctx) => as(ctx, "stranger").finalize(P.round1, [s3, s1, s2], [b1, b2], 10),
    error: "AuctionWrongPhase",
    args: () => [P.round1, Phase.Open],
  },
  {
    fn: "finalize",
    title: "a period already finalized",
    send: (ctx) => as(ctx, "stranger").finalize(P.finalized, [0], [1], 10),
    error: "AuctionWrongPhase",
    args: () => [P.finalized, Phase.Finalized],
  },
  {
    fn: "finalize",
    title: "the committed sellers in another order",
    send: (ctx) => as(ctx, "stranger").finalize(P.cleared, [...ctx.cleared.sellers].reverse(), ctx.cleared.buyers, 10),
    error: "AuctionMeritOrderMismatch",
    args: (ctx) => [hashOf([...ctx.cleared.sellers].reverse(), ctx.cleared.buyers), ctx.clearedHash],
  },
  {
    fn: "finalize",
    title: "the committed merit orders without the last seller",
    send: (ctx) => as(ctx, "operator").finalize(P.cleared, ctx.cleared.sellers.slice(0, -1), ctx.cleared.buyers, 10),
    error: "AuctionMeritOrderMismatch",
    args: (ctx) => [hashOf(ctx.cleared.sellers.slice(0, -1), ctx.cleared.buyers), ctx.clearedHash],
  },
];

const roleCases: NegativeCase<Ctx>[] = [
  ...(["stranger", "operator", "s1", "b1"] as const).map((who, i) =>
    unauthorized(
      "grantRole",
      who,
      ADMIN_ROLE,
      (ctx) => as(ctx, who).grantRole(i % 2 ? ADMIN_ROLE : OPERATOR_ROLE, addr(ctx, who)),
      `by the ${who}, which is not an admin`,
    ),
  ),
  ...(["stranger", "operator", "s1", "b1"] as const).map((who, i) =>
    unauthorized(
      "revokeRole",
      who,
      ADMIN_ROLE,
      (ctx) => as(ctx, who).revokeRole(i % 2 ? ADMIN_ROLE : OPERATOR_ROLE, addr(ctx, "admin")),
      `by the ${who}, which is not an admin`,
    ),
  ),
  ...(
    [
      ["admin", OPERATOR_ROLE, "operator"],
      ["operator", OPERATOR_ROLE, "admin"],
      ["stranger", ADMIN_ROLE, "admin"],
      ["s1", OPERATOR_ROLE, "admin"],
    ] as const
  ).map(([who, role, holder]) => ({
    fn: "renounceRole",
    title: `by the ${who} for the ${holder}`,
    send: (ctx: Ctx) => as(ctx, who).renounceRole(role, addr(ctx, holder)),
    error: "AccessControlBadConfirmation",
  })),
];

export const doubleAuctionSuite: NegativeSuite<Ctx> = {
  contract: "DoubleAuction",
  fixture: auctionFixture,
  target: (ctx) => ctx.auction,
  // Two narrow domains instead of their product: roles per account, and per period its state and orders
  // (orderAt). A placed or cancelled order also shows in orderAt and in everyone's escrow balances, so the
  // account-by-period orderIndexOf is left out.
  digest: async (ctx) => {
    const roles = await viewDigest([ctx.auction], {
      addresses: (["admin", "operator", "stranger", "s1", "b1"] as const).map((name) => addr(ctx, name)),
      uints: [],
      bytes32s: [ADMIN_ROLE, OPERATOR_ROLE],
    });
    // the seven period ids double as order indices for orderAt (period 1 holds indices 0..5)
    const periods = await viewDigest([ctx.auction], { addresses: [], uints: [1n, 2n, 3n, 4n, 5n, 6n, 7n] });
    const balances = await escrowDigest(
      ctx.escrow,
      ROLES.map((name) => addr(ctx, name)),
    );
    return roles + periods + balances;
  },
  cases: [
    ...openPeriodCases,
    ...placeOrderCases,
    ...reviseCases,
    ...cancelCases,
    ...closeRoundCases,
    ...finalizeCases,
    ...roleCases,
  ],
};
