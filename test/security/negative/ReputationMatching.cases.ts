import { AbiCoder, id, keccak256 } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { IReputationMatching } from "../../../typechain-types/contracts/ReputationMatching";
import { worldFixture } from "../../helpers/securityFixtures";
import { readsDigest, viewDigest, type ViewRead } from "../../helpers/viewDigest";
import { GEUR, cast, escrowDigest, onboard } from "./marketSetup";
import type { NegativeCase, NegativeSuite } from "./types";

const ADMIN_ROLE = "0x" + "0".repeat(64);
const OPERATOR_ROLE = id("OPERATOR_ROLE");
const ESCROW_ROLE = id("ESCROW_ROLE");
const Eligibility = { NotApproved: 1, Suspended: 2 } as const;
const G = 0xffff; // GRID: the request is left to the grid
const WAD = 10n ** 18n;
const MARGIN = GEUR;
const RECORDING_GRACE = 7n * 86_400n;
const costUp = (wh: bigint, p: bigint) => (wh * p + 999n) / 1000n;
const hashOf = (assignment: readonly number[]) =>
  keccak256(AbiCoder.defaultAbiCoder().encode(["uint16[]"], [assignment]));

const ROLES = [
  "admin", // deployer: admin and operator of every contract, and the registry's regulator
  "operator", // OPERATOR_ROLE on the matching only
  "stranger", // never registered
  "reporter", // ESCROW_ROLE, standing in for the escrow's delivery reports
  "p1", // providers, region 1; p2 at medium voltage
  "p2",
  "p3",
  "u1", // users, region 1; u4 at high voltage, where the fee exceeds every price
  "u2",
  "u3",
  "u4",
  "q1", // region 2
  "q2",
  "q3",
  "pending",
  "suspended",
  "poor", // approved, nothing in the escrow
] as const;
type Who = (typeof ROLES)[number];

/** Cycle ids in the fixture; 0 and UNKNOWN were never opened. */
const C = { applied: 1, finalized: 2, finalizing: 3, submission: 4, posting: 5, south: 6, unknown: 7 } as const;
/** Cycle 4's book: offer and request indices. */
const O = { p1: 0, p2: 1, p3Cancelled: 2 } as const;
const R = { u1: 0, u2: 1, u3Cancelled: 2, u4: 3 } as const;

async function cycleParams(overrides: Partial<IReputationMatching.CycleParamsStruct> = {}) {
  const now = BigInt(await time.latest());
  return {
    region: 0,
    postingEnds: now + 3_600n,
    submissionEnds: now + 7_200n,
    deliveryStart: now + 10_800n,
    deliveryEnd: now + 14_400n,
    settlementDeadline: now + 86_400n,
    requestCap: 16,
    offerCap: 8,
    margin: MARGIN,
    ...overrides,
  };
}

/**
 * The whole system with a matching cycle in every state a call can meet: 1 reputation applied after the grace
 * period with one trade never reported, 2 finalized with its trades unreported, 3 past submission with a best
 * assignment, 4 in submission (a cancelled offer and request, a high-voltage user no provider can serve, a
 * best assignment), 5 in posting (a cancelled offer and request) and 6 in posting for region 2, full.
 */
async function matchingFixture() {
  const world = await worldFixture();
  const { matching, registry, token, escrow } = world;
  const who = await cast(ROLES);
  const system = { registry, token, escrow, regulator: who.admin };
  for (const name of ["p1", "p3", "u1", "u2", "u3"] as const) await onboard(system, who[name], name);
  await onboard(system, who.p2, "p2", { voltageLevel: 2 });
  await onboard(system, who.u4, "u4", { voltageLevel: 3 });
  for (const name of ["q1", "q2", "q3"] as const) await onboard(system, who[name], name, { region: 2 });
  await onboard(system, who.pending, "pending", { status: "pending" });
  await onboard(system, who.suspended, "suspended", { status: "suspended" });
  await onboard(system, who.poor, "poor", { deposit: 0n });

  const as = (name: Who) => matching.connect(who[name]);
  await as("admin").grantRole(OPERATOR_ROLE, who.operator.address);
  await as("admin").grantRole(ESCROW_ROLE, who.reporter.address);
  // per kWh: 0.02 + 0.001 per distance unit at low voltage, 0.03 + 0.002 at medium, 0.60 + 0.01 at high
  await as("operator").setFees(1, 20_000, 1_000);
  await as("operator").setFees(2, 30_000, 2_000);
  await as("operator").setFees(3, 600_000, 10_000);
  await as("operator").setRegionDistance(1, 2, 10);
  const market = await matching.getAddress();
  const runCycle = async (cycleId: number, assignment: number[]) => {
    await time.increaseTo((await matching.params(cycleId)).postingEnds);
    await as("stranger").submitAssignment(cycleId, assignment);
    await time.increaseTo((await matching.params(cycleId)).submissionEnds);
    await as("stranger").finalize(cycleId, assignment, 100);
  };

  // 1: trades 1 (u1-p1), 2 (u2-p2), 3 (u3-p1); 1 and 2 reported, then applied once the grace period is over
  await as("operator").openCycle(await cycleParams());
  await as("p1").postOffer(C.applied, 500_000, 10_000);
  await as("p2").postOffer(C.applied, 400_000, 10_000);
  for (const u of ["u1", "u2", "u3"] as const) await as(u).postRequest(C.applied, 1_000, 600_000);
  await runCycle(C.applied, [0, 1, 0]);
  await as("reporter").recordDelivery(1, market, C.applied, who.p1.address, WAD);
  await as("reporter").recordDelivery(2, market, C.applied, who.p2.address, WAD / 2n);
  await time.increaseTo((await matching.params(C.applied)).settlementDeadline + RECORDING_GRACE);
  await as("stranger").updateReputation(C.applied);

  // 2: trades 4 (u1-p1) and 5 (u2-p3), not reported
  await as("operator").openCycle(await cycleParams());
  await as("p1").postOffer(C.finalized, 500_000, 5_000);
  await as("p3").postOffer(C.finalized, 450_000, 5_000);
  await as("u1").postRequest(C.finalized, 2_000, 600_000);
  await as("u2").postRequest(C.finalized, 2_000, 600_000);
  await runCycle(C.finalized, [0, 1]);

  // 3 to 6 share a clock: 3's submission ends before 4's posting does, 5 and 6 post long after
  const t = BigInt(await time.latest()) + 100n;
  const at = (posting: bigint, submission: bigint) => ({
    postingEnds: t + posting,
    submissionEnds: t + submission,
    deliveryStart: t + 100_000n,
    deliveryEnd: t + 104_000n,
    settlementDeadline: t + 200_000n,
  });
  await as("operator").openCycle(await cycleParams(at(1_000n, 2_000n)));
  await as("operator").openCycle(await cycleParams(at(3_000n, 50_000n)));
  await as("operator").openCycle(await cycleParams(at(40_000n, 50_000n)));
  await as("operator").openCycle(await cycleParams({ ...at(40_000n, 50_000n), region: 2, requestCap: 1, offerCap: 1 }));

  await as("p1").postOffer(C.finalizing, 500_000, 3_000);
  await as("u1").postRequest(C.finalizing, 1_000, 600_000);
  await as("u2").postRequest(C.finalizing, 1_000, 600_000);

  await as("p1").postOffer(C.submission, 500_000, 3_000);
  await as("p2").postOffer(C.submission, 400_000, 1_500);
  await as("p3").postOffer(C.submission, 450_000, 5_000);
  await as("u1").postRequest(C.submission, 1_000, 600_000);
  await as("u2").postRequest(C.submission, 1_000, 450_000);
  await as("u3").postRequest(C.submission, 1_000, 600_000);
  await as("u4").postRequest(C.submission, 1_000, 700_000);
  await as("p3").cancelOffer(C.submission);
  await as("u3").cancelRequest(C.submission);

  await as("p1").postOffer(C.posting, 500_000, 3_000);
  await as("p2").postOffer(C.posting, 400_000, 3_000);
  await as("u1").postRequest(C.posting, 1_000, 600_000);
  await as("u2").postRequest(C.posting, 1_000, 600_000);
  await as("p2").cancelOffer(C.posting);
  await as("u2").cancelRequest(C.posting);

  await as("q1").postOffer(C.south, 500_000, 3_000);
  await as("q2").postRequest(C.south, 1_000, 600_000);

  await time.increaseTo(t + 1_000n);
  await as("stranger").submitAssignment(C.finalizing, [0, 0]);
  await time.increaseTo(t + 3_000n);
  await as("stranger").submitAssignment(C.submission, [O.p1, G, G, G]);

  const windows = Object.fromEntries(
    await Promise.all(
      Object.values(C).map(async (c) => {
        const p = await matching.params(c);
        return [c, { postingEnds: p.postingEnds, submissionEnds: p.submissionEnds }] as const;
      }),
    ),
  );
  return {
    ...world,
    who,
    market,
    windows,
    finalizingBest: (await matching.bestAssignment(C.finalizing)).assignmentHash,
    finalizedGraceEndsAt: (await matching.params(C.finalized)).settlementDeadline + RECORDING_GRACE,
    params: await cycleParams(),
  };
}
type Ctx = Awaited<ReturnType<typeof matchingFixture>>;

const as = (ctx: Ctx, name: Who) => ctx.matching.connect(ctx.who[name]);
const addr = (ctx: Ctx, name: Who) => ctx.who[name].address;

function unauthorized(
  fn: string,
  who: Who,
  role: string,
  send: (ctx: Ctx) => Promise<unknown>,
  title?: string,
): NegativeCase<Ctx> {
  return {
    fn,
    title: title ?? `by the ${who}, which lacks the role`,
    send,
    error: "AccessControlUnauthorizedAccount",
    args: (ctx) => [addr(ctx, who), role],
  };
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
  fn: string,
  field: string,
  title: string,
  send: (ctx: Ctx) => Promise<unknown>,
): NegativeCase<Ctx> {
  return { fn, title, send, error: "MatchingInvalidParams", args: () => [field] };
}

function badCycle(
  field: string,
  title: string,
  overrides: (p: Ctx["params"]) => Partial<IReputationMatching.CycleParamsStruct>,
) {
  return invalidParams("openCycle", field, title, (ctx) =>
    as(ctx, "operator").openCycle({ ...ctx.params, ...overrides(ctx.params) }),
  );
}

const unknownCycle = (fn: string, cycleId: number, send: (ctx: Ctx) => Promise<unknown>): NegativeCase<Ctx> => ({
  fn,
  title: cycleId === 0 ? "cycle 0, which no cycle ever has" : "a cycle never opened",
  send,
  error: "MatchingUnknownCycle",
  args: () => [cycleId],
});

const postingClosed = (fn: string, cycleId: number, send: (ctx: Ctx) => Promise<unknown>): NegativeCase<Ctx> => ({
  fn,
  title: `after cycle ${cycleId}'s posting ended`,
  send,
  error: "MatchingPostingClosed",
  args: (ctx) => [cycleId, ctx.windows[cycleId].postingEnds],
});

const operatorCases: NegativeCase<Ctx>[] = [
  unauthorized("openCycle", "stranger", OPERATOR_ROLE, (ctx) => as(ctx, "stranger").openCycle(ctx.params)),
  unauthorized("openCycle", "u1", OPERATOR_ROLE, (ctx) => as(ctx, "u1").openCycle(ctx.params)),
  badCycle("region", "a region the registry does not know", () => ({ region: 9 })),
  badCycle("postingEnds", "posting that has already ended", (p) => ({ postingEnds: BigInt(p.postingEnds) - 3_600n })),
  badCycle("submissionEnds", "no submission window", (p) => ({ submissionEnds: p.postingEnds })),
  badCycle("deliveryStart", "delivery starting when submission ends (no time to finalize)", (p) => ({
    deliveryStart: p.submissionEnds,
  })),
  badCycle("deliveryEnd", "an empty delivery window", (p) => ({ deliveryEnd: p.deliveryStart })),
  badCycle("settlementDeadline", "a settlement deadline before delivery ends", (p) => ({
    settlementDeadline: BigInt(p.deliveryEnd) - 1n,
  })),
  badCycle("requestCap", "no room for requests", () => ({ requestCap: 0 })),
  badCycle("requestCap", "a request cap above MAX_REQUESTS", () => ({ requestCap: 257 })),
  badCycle("offerCap", "an offer cap above MAX_OFFERS", () => ({ offerCap: 65 })),
  badCycle("margin", "no margin", () => ({ margin: 0 })),

  unauthorized("setAlpha", "stranger", OPERATOR_ROLE, (ctx) => as(ctx, "stranger").setAlpha(WAD / 2n)),
  unauthorized(
    "setAlpha",
    "p1",
    OPERATOR_ROLE,
    (ctx) => as(ctx, "p1").setAlpha(WAD),
    "by a provider, whose reputation it weighs",
  ),
  unauthorized(
    "setAlpha",
    "reporter",
    OPERATOR_ROLE,
    (ctx) => as(ctx, "reporter").setAlpha(0n),
    "by the delivery reporter",
  ),
  invalidParams("setAlpha", "alphaWad", "alpha just above 1", (ctx) => as(ctx, "operator").setAlpha(WAD + 1n)),
  invalidParams("setAlpha", "alphaWad", "the largest uint64", (ctx) => as(ctx, "admin").setAlpha(2n ** 64n - 1n)),

  unauthorized("setFees", "stranger", OPERATOR_ROLE, (ctx) => as(ctx, "stranger").setFees(1, 0, 0)),
  unauthorized(
    "setFees",
    "u1",
    OPERATOR_ROLE,
    (ctx) => as(ctx, "u1").setFees(3, 0, 0),
    "by a user lowering the fee it pays",
  ),
  invalidParams("setFees", "voltageLevel", "voltage level 0 (unused)", (ctx) => as(ctx, "operator").setFees(0, 1, 1)),
  invalidParams("setFees", "voltageLevel", "voltage level 4", (ctx) => as(ctx, "operator").setFees(4, 1, 1)),

  unauthorized("setRegionDistance", "stranger", OPERATOR_ROLE, (ctx) => as(ctx, "stranger").setRegionDistance(1, 2, 0)),
  unauthorized("setRegionDistance", "reporter", OPERATOR_ROLE, (ctx) => as(ctx, "reporter").setRegionDistance(1, 3, 5)),
  invalidParams("setRegionDistance", "regions", "a region to itself", (ctx) =>
    as(ctx, "operator").setRegionDistance(1, 1, 5),
  ),
  invalidParams("setRegionDistance", "regions", "a region to itself, by the admin", (ctx) =>
    as(ctx, "admin").setRegionDistance(2, 2, 0),
  ),
];

const postOfferCases: NegativeCase<Ctx>[] = [
  unknownCycle("postOffer", C.unknown, (ctx) => as(ctx, "p3").postOffer(C.unknown, 500_000, 1_000)),
  postingClosed("postOffer", C.submission, (ctx) => as(ctx, "u1").postOffer(C.submission, 500_000, 1_000)),
  {
    fn: "postOffer",
    title: "a zero price",
    send: (ctx) => as(ctx, "p3").postOffer(C.posting, 0, 1_000),
    error: "MatchingZeroPrice",
  },
  {
    fn: "postOffer",
    title: "zero capacity",
    send: (ctx) => as(ctx, "p3").postOffer(C.posting, 500_000, 0),
    error: "MatchingZeroEnergy",
  },
  {
    fn: "postOffer",
    title: "a second offer of the same provider",
    send: (ctx) => as(ctx, "p1").postOffer(C.posting, 450_000, 1_000),
    error: "MatchingAlreadyPosted",
    args: (ctx) => [C.posting, addr(ctx, "p1")],
  },
  {
    fn: "postOffer",
    title: "again after cancelling (one posting per cycle)",
    send: (ctx) => as(ctx, "p2").postOffer(C.posting, 400_000, 1_000),
    error: "MatchingAlreadyPosted",
    args: (ctx) => [C.posting, addr(ctx, "p2")],
  },
  {
    fn: "postOffer",
    title: "by a user who already requested in the cycle",
    send: (ctx) => as(ctx, "u1").postOffer(C.posting, 500_000, 1_000),
    error: "MatchingBothSides",
    args: (ctx) => [C.posting, addr(ctx, "u1")],
  },
  notEligible("postOffer", "stranger", (ctx) => as(ctx, "stranger").postOffer(C.posting, 500_000, 1_000)),
  notEligible("postOffer", "pending", (ctx) => as(ctx, "pending").postOffer(C.posting, 500_000, 1_000)),
  notEligible("postOffer", "suspended", (ctx) => as(ctx, "suspended").postOffer(C.posting, 500_000, 1_000)),
  {
    fn: "postOffer",
    title: "from region 1 in a region-2 cycle",
    send: (ctx) => as(ctx, "p3").postOffer(C.south, 500_000, 1_000),
    error: "MatchingWrongRegion",
    args: (ctx) => [addr(ctx, "p3"), 1, 2],
  },
  {
    fn: "postOffer",
    title: "beyond the cycle's offer cap",
    send: (ctx) => as(ctx, "q3").postOffer(C.south, 500_000, 1_000),
    error: "MatchingOfferCapReached",
    args: () => [C.south, 1],
  },
  {
    fn: "postOffer",
    title: "without escrow funds for the margin",
    send: (ctx) => as(ctx, "poor").postOffer(C.posting, 500_000, 1_000),
    error: "EscrowInsufficientFree",
    args: (ctx) => [addr(ctx, "poor"), 0n, MARGIN],
    declaredBy: (ctx) => ctx.escrow,
  },
];

const postRequestCases: NegativeCase<Ctx>[] = [
  unknownCycle("postRequest", 0, (ctx) => as(ctx, "u3").postRequest(0, 1_000, 600_000)),
  postingClosed("postRequest", C.finalizing, (ctx) => as(ctx, "u3").postRequest(C.finalizing, 1_000, 600_000)),
  {
    fn: "postRequest",
    title: "zero energy",
    send: (ctx) => as(ctx, "u3").postRequest(C.posting, 0, 600_000),
    error: "MatchingZeroEnergy",
  },
  {
    fn: "postRequest",
    title: "a zero maximum price",
    send: (ctx) => as(ctx, "u3").postRequest(C.posting, 1_000, 0),
    error: "MatchingZeroPrice",
  },
  {
    fn: "postRequest",
    title: "a second request of the same user",
    send: (ctx) => as(ctx, "u1").postRequest(C.posting, 500, 600_000),
    error: "MatchingAlreadyPosted",
    args: (ctx) => [C.posting, addr(ctx, "u1")],
  },
  {
    fn: "postRequest",
    title: "again after cancelling (one posting per cycle)",
    send: (ctx) => as(ctx, "u2").postRequest(C.posting, 1_000, 600_000),
    error: "MatchingAlreadyPosted",
    args: (ctx) => [C.posting, addr(ctx, "u2")],
  },
  {
    fn: "postRequest",
    title: "by a provider who already offered in the cycle",
    send: (ctx) => as(ctx, "p1").postRequest(C.posting, 1_000, 600_000),
    error: "MatchingBothSides",
    args: (ctx) => [C.posting, addr(ctx, "p1")],
  },
  notEligible("postRequest", "stranger", (ctx) => as(ctx, "stranger").postRequest(C.posting, 1_000, 600_000)),
  notEligible("postRequest", "suspended", (ctx) => as(ctx, "suspended").postRequest(C.posting, 1_000, 600_000)),
  {
    fn: "postRequest",
    title: "from region 1 in a region-2 cycle",
    send: (ctx) => as(ctx, "u3").postRequest(C.south, 1_000, 600_000),
    error: "MatchingWrongRegion",
    args: (ctx) => [addr(ctx, "u3"), 1, 2],
  },
  {
    fn: "postRequest",
    title: "beyond the cycle's request cap",
    send: (ctx) => as(ctx, "q3").postRequest(C.south, 1_000, 600_000),
    error: "MatchingRequestCapReached",
    args: () => [C.south, 1],
  },
  {
    fn: "postRequest",
    title: "without escrow funds for the margin and the prepayment at the maximum price",
    send: (ctx) => as(ctx, "poor").postRequest(C.posting, 1_000, 600_000),
    error: "EscrowInsufficientFree",
    args: (ctx) => [addr(ctx, "poor"), 0n, MARGIN + costUp(1_000n, 600_000n)],
    declaredBy: (ctx) => ctx.escrow,
  },
];

const cancelCases: NegativeCase<Ctx>[] = [
  unknownCycle("cancelOffer", C.unknown, (ctx) => as(ctx, "p1").cancelOffer(C.unknown)),
  postingClosed("cancelOffer", C.submission, (ctx) => as(ctx, "p1").cancelOffer(C.submission)),
  {
    fn: "cancelOffer",
    title: "by a stranger without an offer",
    send: (ctx) => as(ctx, "stranger").cancelOffer(C.posting),
    error: "MatchingNoOffer",
    args: (ctx) => [C.posting, addr(ctx, "stranger")],
  },
  {
    fn: "cancelOffer",
    title: "by a user, whose posting is a request",
    send: (ctx) => as(ctx, "u1").cancelOffer(C.posting),
    error: "MatchingNoOffer",
    args: (ctx) => [C.posting, addr(ctx, "u1")],
  },
  {
    fn: "cancelOffer",
    title: "an offer already cancelled",
    send: (ctx) => as(ctx, "p2").cancelOffer(C.posting),
    error: "MatchingAlreadyCancelled",
    args: (ctx) => [C.posting, addr(ctx, "p2")],
  },
  unknownCycle("cancelRequest", C.unknown, (ctx) => as(ctx, "u1").cancelRequest(C.unknown)),
  postingClosed("cancelRequest", C.finalizing, (ctx) => as(ctx, "u1").cancelRequest(C.finalizing)),
  {
    fn: "cancelRequest",
    title: "by a provider, whose posting is an offer",
    send: (ctx) => as(ctx, "p1").cancelRequest(C.posting),
    error: "MatchingNoRequest",
    args: (ctx) => [C.posting, addr(ctx, "p1")],
  },
  {
    fn: "cancelRequest",
    title: "by a stranger without a request",
    send: (ctx) => as(ctx, "stranger").cancelRequest(C.posting),
    error: "MatchingNoRequest",
    args: (ctx) => [C.posting, addr(ctx, "stranger")],
  },
  {
    fn: "cancelRequest",
    title: "a request already cancelled",
    send: (ctx) => as(ctx, "u2").cancelRequest(C.posting),
    error: "MatchingAlreadyCancelled",
    args: (ctx) => [C.posting, addr(ctx, "u2")],
  },
];

const submit = (ctx: Ctx, assignment: number[]) => as(ctx, "stranger").submitAssignment(C.submission, assignment);

const submitAssignmentCases: NegativeCase<Ctx>[] = [
  unknownCycle("submitAssignment", C.unknown, (ctx) => as(ctx, "stranger").submitAssignment(C.unknown, [])),
  ...([C.posting, C.finalizing] as const).map((c) => ({
    fn: "submitAssignment",
    title: c === C.posting ? "too early: posting is still open" : "too late: submission has ended",
    send: (ctx: Ctx) => as(ctx, "stranger").submitAssignment(c, c === C.posting ? [0, G] : [0, 0]),
    error: "MatchingNotSubmissionWindow",
    args: (ctx: Ctx) => [c, ctx.windows[c].postingEnds, ctx.windows[c].submissionEnds],
  })),
  {
    fn: "submitAssignment",
    title: "one entry short of the requests",
    send: (ctx) => submit(ctx, [O.p1, G, G]),
    error: "MatchingWrongLength",
    args: () => [3, 4],
  },
  {
    fn: "submitAssignment",
    title: "the cancelled request assigned",
    send: (ctx) => submit(ctx, [G, G, O.p1, G]),
    error: "MatchingCancelledRequest",
    args: () => [R.u3Cancelled, O.p1],
  },
  {
    fn: "submitAssignment",
    title: "an offer index beyond the book",
    send: (ctx) => submit(ctx, [5, G, G, G]),
    error: "MatchingUnknownOffer",
    args: () => [R.u1, 5],
  },
  {
    fn: "submitAssignment",
    title: "the cancelled offer used",
    send: (ctx) => submit(ctx, [O.p3Cancelled, G, G, G]),
    error: "MatchingCancelledOffer",
    args: () => [R.u1, O.p3Cancelled],
  },
  {
    fn: "submitAssignment",
    title: "a provider dearer than the user's maximum price",
    send: (ctx) => submit(ctx, [G, O.p1, G, G]),
    error: "MatchingPriceAboveMax",
    args: () => [R.u2, O.p1, 500_000, 450_000],
  },
  {
    fn: "submitAssignment",
    title: "a pair whose high-voltage fee exceeds the provider's income",
    send: (ctx) => submit(ctx, [G, G, G, O.p1]),
    error: "MatchingNegativeRevenue",
    // 1 kWh at 0.50 earns 500000 base units; the high-voltage fee of 0.60 costs 600000
    args: () => [R.u4, O.p1, -100_000],
  },
  {
    fn: "submitAssignment",
    title: "two requests on an offer that holds one and a half",
    send: (ctx) => submit(ctx, [O.p2, O.p2, G, G]),
    error: "MatchingCapacityExceeded",
    args: () => [O.p2, 2_000, 1_500],
  },
];

const finalizeCases: NegativeCase<Ctx>[] = [
  {
    fn: "finalize",
    title: "zero steps",
    send: (ctx) => as(ctx, "stranger").finalize(C.finalizing, [0, 0], 0),
    error: "MatchingZeroSteps",
  },
  unknownCycle("finalize", C.unknown, (ctx) => as(ctx, "stranger").finalize(C.unknown, [], 10)),
  ...([C.submission, C.posting] as const).map((c) => ({
    fn: "finalize",
    title: `while cycle ${c} still takes ${c === C.posting ? "postings" : "submissions"}`,
    send: (ctx: Ctx) => as(ctx, "stranger").finalize(c, c === C.posting ? [G, G] : [O.p1, G, G, G], 10),
    error: "MatchingSubmissionOpen",
    args: (ctx: Ctx) => [c, ctx.windows[c].submissionEnds],
  })),
  {
    fn: "finalize",
    title: "a cycle already finalized",
    send: (ctx) => as(ctx, "stranger").finalize(C.finalized, [0, 1], 10),
    error: "MatchingAlreadyFinalized",
    args: () => [C.finalized],
  },
  ...[
    ["another assignment than the best", [0, G]],
    ["the all-grid assignment although a valid one was submitted", [G, G]],
  ].map(([title, assignment]) => ({
    fn: "finalize",
    title: title as string,
    send: (ctx: Ctx) => as(ctx, "operator").finalize(C.finalizing, assignment as number[], 10),
    error: "MatchingAssignmentMismatch",
    args: (ctx: Ctx) => [C.finalizing, hashOf(assignment as number[]), ctx.finalizingBest],
  })),
];

const report = (ctx: Ctx, tradeId: bigint, cycleId: number, provider: Who, ratioWad: bigint) =>
  as(ctx, "reporter").recordDelivery(tradeId, ctx.market, cycleId, addr(ctx, provider), ratioWad);

const recordDeliveryCases: NegativeCase<Ctx>[] = [
  unauthorized("recordDelivery", "stranger", ESCROW_ROLE, (ctx) =>
    as(ctx, "stranger").recordDelivery(4, ctx.market, C.finalized, addr(ctx, "p1"), WAD),
  ),
  unauthorized(
    "recordDelivery",
    "admin",
    ESCROW_ROLE,
    (ctx) => as(ctx, "admin").recordDelivery(4, ctx.market, C.finalized, addr(ctx, "p1"), WAD),
    "by the admin, which is not the escrow",
  ),
  {
    fn: "recordDelivery",
    title: "a trade the matching never created",
    send: (ctx) => report(ctx, 99n, C.finalized, "p1", WAD),
    error: "MatchingUnknownTrade",
    args: () => [99],
  },
  {
    fn: "recordDelivery",
    title: "a trade already reported (a trade counts once)",
    send: (ctx) => report(ctx, 1n, C.applied, "p1", WAD),
    error: "MatchingUnknownTrade",
    args: () => [1],
  },
  {
    fn: "recordDelivery",
    title: "a trade under another cycle",
    send: (ctx) => report(ctx, 4n, C.applied, "p1", WAD),
    error: "MatchingTradeMismatch",
    args: (ctx) => [4, C.applied, addr(ctx, "p1")],
  },
  {
    fn: "recordDelivery",
    title: "a trade under another provider",
    send: (ctx) => report(ctx, 4n, C.finalized, "p3", WAD),
    error: "MatchingTradeMismatch",
    args: (ctx) => [4, C.finalized, addr(ctx, "p3")],
  },
  {
    fn: "recordDelivery",
    title: "a delivery ratio above 1",
    send: (ctx) => report(ctx, 4n, C.finalized, "p1", WAD + 1n),
    error: "MatchingRatioOutOfRange",
    args: () => [4, WAD + 1n],
  },
  {
    fn: "recordDelivery",
    title: "a late report for a cycle whose reputation is applied",
    send: (ctx) => report(ctx, 3n, C.applied, "p1", WAD),
    error: "MatchingReputationApplied",
    args: () => [C.applied],
  },
];

const updateReputationCases: NegativeCase<Ctx>[] = [
  unknownCycle("updateReputation", 0, (ctx) => as(ctx, "stranger").updateReputation(0)),
  unknownCycle("updateReputation", C.unknown, (ctx) => as(ctx, "stranger").updateReputation(C.unknown)),
  ...([C.applied, C.finalizing] as const).map((c) => ({
    fn: "updateReputation",
    title: c === C.applied ? "a cycle already applied" : "a cycle after the next one",
    send: (ctx: Ctx) => as(ctx, "stranger").updateReputation(c),
    error: "MatchingReputationOrder",
    args: () => [c, C.finalized],
  })),
  {
    fn: "updateReputation",
    title: "a finalized cycle with unreported trades, before the grace period ends",
    send: (ctx) => as(ctx, "operator").updateReputation(C.finalized),
    error: "MatchingTradesUnsettled",
    args: (ctx) => [C.finalized, 0, 2, ctx.finalizedGraceEndsAt],
  },
];

const roleCases: NegativeCase<Ctx>[] = [
  ...(["stranger", "operator", "reporter", "p1"] as const).map((who, i) =>
    unauthorized(
      "grantRole",
      who,
      ADMIN_ROLE,
      (ctx) => as(ctx, who).grantRole([OPERATOR_ROLE, ADMIN_ROLE, ESCROW_ROLE][i % 3], addr(ctx, who)),
      `by the ${who}, which is not an admin`,
    ),
  ),
  ...(["stranger", "operator", "reporter", "p1"] as const).map((who, i) =>
    unauthorized(
      "revokeRole",
      who,
      ADMIN_ROLE,
      (ctx) =>
        as(ctx, who).revokeRole(
          [OPERATOR_ROLE, ADMIN_ROLE, ESCROW_ROLE][i % 3],
          addr(ctx, i === 2 ? "reporter" : "admin"),
        ),
      `by the ${who}, which is not an admin`,
    ),
  ),
  ...(
    [
      ["admin", ESCROW_ROLE, "reporter"],
      ["operator", OPERATOR_ROLE, "admin"],
      ["reporter", ADMIN_ROLE, "admin"],
      ["stranger", OPERATOR_ROLE, "operator"],
    ] as const
  ).map(([who, role, holder]) => ({
    fn: "renounceRole",
    title: `by the ${who} for the ${holder}`,
    send: (ctx: Ctx) => as(ctx, who).renounceRole(role, addr(ctx, holder)),
    error: "AccessControlBadConfirmation",
  })),
];

const CYCLES = [1n, 2n, 3n, 4n, 5n, 6n];

export const reputationMatchingSuite: NegativeSuite<Ctx> = {
  contract: "ReputationMatching",
  fixture: matchingFixture,
  target: (ctx) => ctx.matching,
  // Offers and requests are read page by page (viewDigest skips three-input views); the address domain needs
  // only the accounts whose roles or reputation a case could move, everyone's escrow balances catch the rest.
  digest: async (ctx) => {
    const views = await viewDigest([ctx.matching], {
      addresses: (["admin", "operator", "stranger", "reporter", "p1", "p2", "p3"] as const).map((name) =>
        addr(ctx, name),
      ),
      // cycle ids; as region ids they also cover every distance pair in use
      uints: CYCLES,
      bytes32s: [ADMIN_ROLE, OPERATOR_ROLE, ESCROW_ROLE],
    });
    const pages = await readsDigest(
      CYCLES.flatMap((c): ViewRead[] => [
        [ctx.matching, "offersPage", [c, 0, 64]],
        [ctx.matching, "requestsPage", [c, 0, 256]],
      ]),
    );
    return (
      views +
      pages +
      (await escrowDigest(
        ctx.escrow,
        ROLES.map((name) => addr(ctx, name)),
      ))
    );
  },
  cases: [
    ...operatorCases,
    ...postOfferCases,
    ...postRequestCases,
    ...cancelCases,
    ...submitAssignmentCases,
    ...finalizeCases,
    ...recordDeliveryCases,
    ...updateReputationCases,
    ...roleCases,
  ],
};
