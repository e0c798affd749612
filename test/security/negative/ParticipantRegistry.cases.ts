import hre from "hardhat";
import { ZeroAddress, ZeroHash, encodeBytes32String, id } from "ethers";
import type { IParticipantRegistry, ParticipantRegistry } from "../../../typechain-types";
import { encodeRegistration } from "../../../src/chain/registry";
import { meterWallet } from "../../helpers/escrowFixtures";
import { readsDigest, type ViewRead } from "../../helpers/viewDigest";
import { cast } from "./marketSetup";
import type { NegativeCase, NegativeSuite } from "./types";

const ADMIN_ROLE = ZeroHash;
const REGULATOR_ROLE = id("REGULATOR_ROLE");
const MARKET_ROLE = id("MARKET_ROLE");
const Status = { Pending: 1, Approved: 2, Rejected: 3, Suspended: 4, Delisted: 5 } as const;
const Eligibility = { NotApproved: 1, Suspended: 2, TooManyDefaults: 3 } as const;
const MAX_DEFAULTS = 3;
const MAX_REGIONS = 256;
const REPUTATION_ONE = 10n ** 18n;
const LONG_NAME = "x".repeat(65);

const ROLES = [
  "admin", // DEFAULT_ADMIN_ROLE only
  "regulator", // REGULATOR_ROLE only
  "market", // MARKET_ROLE only, standing in for the escrow
  "stranger", // never registered
  "pending",
  "alice", // approved, a meter rotation awaiting review
  "bob", // approved, nothing open
  "trader", // approved, one open trade and a rotation awaiting review
  "rejected",
  "suspended",
  "delisted", // delisted itself while a rotation was pending
  "racer", // approved, asked to rotate to a device someone registered afterwards
  "newcomer", // pending, registered with the device racer asked for
  "defaulter", // approved, MAX_DEFAULTS defaulted trades
] as const;
type Who = (typeof ROLES)[number];

const device = (label: string) => meterWallet(label).address;
const meterIdOf = (label: string) => encodeBytes32String(`MTR-${label}`);

function registration(
  label: string,
  settlementAccount: string,
  overrides: Partial<IParticipantRegistry.RegistrationStruct> = {},
): IParticipantRegistry.RegistrationStruct {
  return {
    ...encodeRegistration({
      displayName: label,
      meterId: `MTR-${label}`,
      meterDevice: device(label),
      region: 1,
      voltageLevel: 1,
      source: "Solar",
      capacityW: 10_000n,
      batteryWh: 0n,
      settlementAccount,
    }),
    ...overrides,
  };
}

/**
 * A registry with separate admin, regulator and market accounts and a participant in every status a call can
 * meet, plus a second registry that holds MAX_REGIONS regions.
 */
async function registryFixture() {
  const who = await cast(ROLES);
  const registry = (await hre.ethers.deployContract("ParticipantRegistry", [
    who.admin.address,
    who.regulator.address,
    MAX_DEFAULTS,
    [1, 2, 3],
    ["North", "Central", "South"],
  ])) as unknown as ParticipantRegistry;
  const ids = Array.from({ length: MAX_REGIONS }, (_, i) => i);
  const fullRegistry = (await hre.ethers.deployContract("ParticipantRegistry", [
    who.admin.address,
    who.regulator.address,
    MAX_DEFAULTS,
    ids,
    ids.map((i) => `Zone ${i}`),
  ])) as unknown as ParticipantRegistry;
  await registry.connect(who.admin).grantRole(MARKET_ROLE, who.market.address);

  const as = (name: Who) => registry.connect(who[name]);
  const review = registry.connect(who.regulator);
  const register = (name: Who, overrides = {}) => as(name).register(registration(name, who[name].address, overrides));
  for (const name of ["pending", "alice", "bob", "trader", "rejected", "suspended", "delisted", "racer"] as const)
    await register(name);
  for (const name of ["alice", "bob", "trader", "suspended", "delisted", "racer"] as const)
    await review.approve(who[name].address);
  await review.reject(who.rejected.address, 7);
  await review.suspend(who.suspended.address, 9);
  await as("alice").requestMeterRotation(device("alice next"));
  await as("market").recordTradeOpened(who.trader.address);
  await as("trader").requestMeterRotation(device("trader next"));
  await as("delisted").requestMeterRotation(device("delisted next"));
  await as("delisted").delist(who.delisted.address, 0);
  await as("racer").requestMeterRotation(device("race"));
  await register("newcomer", { meterDevice: device("race") });
  await register("defaulter");
  await review.approve(who.defaulter.address);
  for (let i = 0; i < MAX_DEFAULTS; i++) {
    await as("market").recordTradeOpened(who.defaulter.address);
    await as("market").recordTradeClosed(who.defaulter.address, 500_000, true);
  }
  return { registry, fullRegistry, who };
}
type Ctx = Awaited<ReturnType<typeof registryFixture>>;

const as = (ctx: Ctx, name: Who) => ctx.registry.connect(ctx.who[name]);
const addr = (ctx: Ctx, name: Who) => ctx.who[name].address;

function unauthorized(fn: string, who: Who, role: string, send: (ctx: Ctx) => Promise<unknown>): NegativeCase<Ctx> {
  return {
    fn,
    title: `by the ${who}, which lacks ${
      role === ADMIN_ROLE ? "DEFAULT_ADMIN_ROLE" : role === MARKET_ROLE ? "MARKET_ROLE" : "REGULATOR_ROLE"
    }`,
    send,
    error: "AccessControlUnauthorizedAccount",
    args: (ctx) => [addr(ctx, who), role],
  };
}

function notRegistered(fn: string, title: string, account: (ctx: Ctx) => string, send: (ctx: Ctx) => Promise<unknown>) {
  return { fn, title, send, error: "RegistryNotRegistered", args: (ctx: Ctx) => [account(ctx)] };
}

function invalidTransition(
  fn: string,
  who: Who,
  from: number,
  to: number,
  send: (ctx: Ctx) => Promise<unknown>,
  title = `of the ${who} participant`,
): NegativeCase<Ctx> {
  return { fn, title, send, error: "RegistryInvalidTransition", args: (ctx) => [addr(ctx, who), from, to] };
}

const registerAs = (ctx: Ctx, who: Who, overrides: Partial<IParticipantRegistry.RegistrationStruct> = {}) =>
  as(ctx, who).register(registration(`${who} again`, addr(ctx, who), overrides));

const registerCases: NegativeCase<Ctx>[] = [
  ...(
    [
      ["bob", Status.Approved],
      ["pending", Status.Pending],
      ["suspended", Status.Suspended],
      ["delisted", Status.Delisted],
    ] as const
  ).map(([who, status]) => ({
    fn: "register",
    title: `a second registration of the ${who} participant`,
    send: (ctx: Ctx) => registerAs(ctx, who),
    error: "RegistryAlreadyRegistered",
    args: (ctx: Ctx) => [addr(ctx, who), status],
  })),
  {
    fn: "register",
    title: "an empty display name",
    send: (ctx) => registerAs(ctx, "stranger", { displayName: "" }),
    error: "RegistryInvalidName",
    args: () => [0],
  },
  {
    fn: "register",
    title: "a display name of 65 bytes",
    send: (ctx) => registerAs(ctx, "stranger", { displayName: LONG_NAME }),
    error: "RegistryInvalidName",
    args: () => [65],
  },
  {
    fn: "register",
    title: "a zero meter id",
    send: (ctx) => registerAs(ctx, "stranger", { meterId: ZeroHash }),
    error: "RegistryInvalidMeterId",
  },
  {
    fn: "register",
    title: "the zero address as meter device",
    send: (ctx) => registerAs(ctx, "stranger", { meterDevice: ZeroAddress }),
    error: "RegistryInvalidAddress",
    args: () => [ZeroAddress],
  },
  {
    fn: "register",
    title: "the zero address as settlement account",
    send: (ctx) => registerAs(ctx, "stranger", { settlementAccount: ZeroAddress }),
    error: "RegistryInvalidAddress",
    args: () => [ZeroAddress],
  },
  {
    fn: "register",
    title: "a region the operator never added",
    send: (ctx) => registerAs(ctx, "stranger", { region: 9 }),
    error: "RegistryUnknownRegion",
    args: () => [9],
  },
  {
    fn: "register",
    title: "voltage level 0",
    send: (ctx) => registerAs(ctx, "stranger", { voltageLevel: 0 }),
    error: "RegistryInvalidVoltageLevel",
    args: () => [0],
  },
  {
    fn: "register",
    title: "voltage level 4, above high voltage",
    send: (ctx) => registerAs(ctx, "stranger", { voltageLevel: 4 }),
    error: "RegistryInvalidVoltageLevel",
    args: () => [4],
  },
  {
    fn: "register",
    title: "zero capacity",
    send: (ctx) => registerAs(ctx, "stranger", { capacityW: 0 }),
    error: "RegistryZeroCapacity",
  },
  {
    fn: "register",
    title: "the meter id of an approved participant",
    send: (ctx) => registerAs(ctx, "stranger", { meterId: meterIdOf("bob") }),
    error: "RegistryMeterIdTaken",
    args: (ctx) => [meterIdOf("bob"), addr(ctx, "bob")],
  },
  {
    fn: "register",
    title: "the meter device of an approved participant",
    send: (ctx) => registerAs(ctx, "stranger", { meterDevice: device("bob") }),
    error: "RegistryMeterDeviceTaken",
    args: (ctx) => [device("bob"), addr(ctx, "bob")],
  },
  {
    fn: "register",
    title: "a rejected applicant applying again with another's meter id (its own meter stays bound)",
    send: (ctx) => registerAs(ctx, "rejected", { meterId: meterIdOf("alice") }),
    error: "RegistryMeterIdTaken",
    args: (ctx) => [meterIdOf("alice"), addr(ctx, "alice")],
  },
];

const requestMeterRotationCases: NegativeCase<Ctx>[] = [
  notRegistered(
    "requestMeterRotation",
    "by an account never registered",
    (ctx) => addr(ctx, "stranger"),
    (ctx) => as(ctx, "stranger").requestMeterRotation(device("stranger next")),
  ),
  invalidTransition(
    "requestMeterRotation",
    "delisted",
    Status.Delisted,
    Status.Delisted,
    (ctx) => as(ctx, "delisted").requestMeterRotation(device("delisted later")),
    "by a delisted participant",
  ),
  {
    fn: "requestMeterRotation",
    title: "to the zero address",
    send: (ctx) => as(ctx, "bob").requestMeterRotation(ZeroAddress),
    error: "RegistryInvalidAddress",
    args: () => [ZeroAddress],
  },
  {
    fn: "requestMeterRotation",
    title: "to the device already bound",
    send: (ctx) => as(ctx, "bob").requestMeterRotation(device("bob")),
    error: "RegistryInvalidAddress",
    args: () => [device("bob")],
  },
  {
    fn: "requestMeterRotation",
    title: "to another participant's device",
    send: (ctx) => as(ctx, "alice").requestMeterRotation(device("bob")),
    error: "RegistryMeterDeviceTaken",
    args: (ctx) => [device("bob"), addr(ctx, "bob")],
  },
];

const cancelMeterRotationCases: NegativeCase<Ctx>[] = [
  notRegistered(
    "cancelMeterRotation",
    "by an account never registered",
    (ctx) => addr(ctx, "stranger"),
    (ctx) => as(ctx, "stranger").cancelMeterRotation(),
  ),
  ...(["bob", "pending", "rejected"] as const).map((who) => ({
    fn: "cancelMeterRotation",
    title: `by the ${who} participant, which asked for none`,
    send: (ctx: Ctx) => as(ctx, who).cancelMeterRotation(),
    error: "RegistryNoPendingRotation",
    args: (ctx: Ctx) => [addr(ctx, who)],
  })),
  {
    fn: "cancelMeterRotation",
    title: "by a delisted participant, whose delisting dropped its rotation",
    send: (ctx) => as(ctx, "delisted").cancelMeterRotation(),
    error: "RegistryNoPendingRotation",
    args: (ctx) => [addr(ctx, "delisted")],
  },
];

const setSettlementAccountCases: NegativeCase<Ctx>[] = [
  notRegistered(
    "setSettlementAccount",
    "by an account never registered",
    (ctx) => addr(ctx, "stranger"),
    (ctx) => as(ctx, "stranger").setSettlementAccount(addr(ctx, "stranger")),
  ),
  {
    fn: "setSettlementAccount",
    title: "to the zero address",
    send: (ctx) => as(ctx, "bob").setSettlementAccount(ZeroAddress),
    error: "RegistryInvalidAddress",
    args: () => [ZeroAddress],
  },
  invalidTransition(
    "setSettlementAccount",
    "delisted",
    Status.Delisted,
    Status.Delisted,
    (ctx) => as(ctx, "delisted").setSettlementAccount(addr(ctx, "bob")),
    "by a delisted participant",
  ),
  {
    fn: "setSettlementAccount",
    title: "while a trade agreed against the old account is open",
    send: (ctx) => as(ctx, "trader").setSettlementAccount(addr(ctx, "bob")),
    error: "RegistryOpenTrades",
    args: (ctx) => [addr(ctx, "trader"), 1],
  },
];

/** approve, reject, suspend and reinstate: the regulator's reviews, each from one status to one other. */
function reviewCases(
  fn: "approve" | "reject" | "suspend" | "reinstate",
  to: number,
  wrongStatus: readonly [Who, number][],
  callers: readonly Who[],
): NegativeCase<Ctx>[] {
  const call = (ctx: Ctx, caller: Who, account: string) => {
    const r = as(ctx, caller);
    return fn === "approve" || fn === "reinstate" ? r[fn](account) : r[fn](account, 1);
  };
  return [
    ...callers.map((caller) =>
      unauthorized(fn, caller, REGULATOR_ROLE, (ctx) => call(ctx, caller, addr(ctx, "pending"))),
    ),
    notRegistered(
      fn,
      "an account never registered",
      (ctx) => addr(ctx, "stranger"),
      (ctx) => call(ctx, "regulator", addr(ctx, "stranger")),
    ),
    ...wrongStatus.map(([who, from]) =>
      invalidTransition(fn, who, from, to, (ctx) => call(ctx, "regulator", addr(ctx, who))),
    ),
  ];
}

const delistCases: NegativeCase<Ctx>[] = [
  unauthorized("delist", "stranger", REGULATOR_ROLE, (ctx) => as(ctx, "stranger").delist(addr(ctx, "bob"), 1)),
  unauthorized("delist", "admin", REGULATOR_ROLE, (ctx) => as(ctx, "admin").delist(addr(ctx, "bob"), 1)),
  notRegistered(
    "delist",
    "by the regulator, an account never registered",
    (ctx) => addr(ctx, "stranger"),
    (ctx) => as(ctx, "regulator").delist(addr(ctx, "stranger"), 1),
  ),
  notRegistered(
    "delist",
    "by an account never registered, itself",
    (ctx) => addr(ctx, "stranger"),
    (ctx) => as(ctx, "stranger").delist(addr(ctx, "stranger"), 0),
  ),
  invalidTransition(
    "delist",
    "delisted",
    Status.Delisted,
    Status.Delisted,
    (ctx) => as(ctx, "regulator").delist(addr(ctx, "delisted"), 1),
    "by the regulator, a participant already delisted",
  ),
  {
    fn: "delist",
    title: "by a participant with an open trade, itself",
    send: (ctx) => as(ctx, "trader").delist(addr(ctx, "trader"), 0),
    error: "RegistryOpenTrades",
    args: (ctx) => [addr(ctx, "trader"), 1],
  },
  {
    fn: "delist",
    title: "by the regulator, a participant with an open trade",
    send: (ctx) => as(ctx, "regulator").delist(addr(ctx, "trader"), 1),
    error: "RegistryOpenTrades",
    args: (ctx) => [addr(ctx, "trader"), 1],
  },
];

const approveMeterRotationCases: NegativeCase<Ctx>[] = [
  unauthorized("approveMeterRotation", "admin", REGULATOR_ROLE, (ctx) =>
    as(ctx, "admin").approveMeterRotation(addr(ctx, "alice"), device("alice next")),
  ),
  unauthorized("approveMeterRotation", "alice", REGULATOR_ROLE, (ctx) =>
    as(ctx, "alice").approveMeterRotation(addr(ctx, "alice"), device("alice next")),
  ),
  notRegistered(
    "approveMeterRotation",
    "for an account never registered",
    (ctx) => addr(ctx, "stranger"),
    (ctx) => as(ctx, "regulator").approveMeterRotation(addr(ctx, "stranger"), device("stranger next")),
  ),
  {
    fn: "approveMeterRotation",
    title: "for a participant that asked for none",
    send: (ctx) => as(ctx, "regulator").approveMeterRotation(addr(ctx, "bob"), device("bob next")),
    error: "RegistryNoPendingRotation",
    args: (ctx) => [addr(ctx, "bob")],
  },
  {
    fn: "approveMeterRotation",
    title: "a device other than the one requested",
    send: (ctx) => as(ctx, "regulator").approveMeterRotation(addr(ctx, "alice"), device("alice other")),
    error: "RegistryRotationMismatch",
    args: (ctx) => [addr(ctx, "alice"), device("alice next"), device("alice other")],
  },
  {
    fn: "approveMeterRotation",
    title: "the zero address as the expected device",
    send: (ctx) => as(ctx, "regulator").approveMeterRotation(addr(ctx, "alice"), ZeroAddress),
    error: "RegistryRotationMismatch",
    args: (ctx) => [addr(ctx, "alice"), device("alice next"), ZeroAddress],
  },
  {
    fn: "approveMeterRotation",
    title: "while the participant has an open trade",
    send: (ctx) => as(ctx, "regulator").approveMeterRotation(addr(ctx, "trader"), device("trader next")),
    error: "RegistryOpenTrades",
    args: (ctx) => [addr(ctx, "trader"), 1],
  },
  {
    fn: "approveMeterRotation",
    title: "to a device another participant registered after the request",
    send: (ctx) => as(ctx, "regulator").approveMeterRotation(addr(ctx, "racer"), device("race")),
    error: "RegistryMeterDeviceTaken",
    args: (ctx) => [device("race"), addr(ctx, "newcomer")],
  },
];

const addRegionCases: NegativeCase<Ctx>[] = [
  unauthorized("addRegion", "regulator", ADMIN_ROLE, (ctx) => as(ctx, "regulator").addRegion(4, "East")),
  unauthorized("addRegion", "stranger", ADMIN_ROLE, (ctx) => as(ctx, "stranger").addRegion(4, "East")),
  {
    fn: "addRegion",
    title: "a region id already in use",
    send: (ctx) => as(ctx, "admin").addRegion(1, "North again"),
    error: "RegistryRegionExists",
    args: () => [1],
  },
  {
    fn: "addRegion",
    title: "an empty name",
    send: (ctx) => as(ctx, "admin").addRegion(4, ""),
    error: "RegistryInvalidName",
    args: () => [0],
  },
  {
    fn: "addRegion",
    title: "a name of 65 bytes",
    send: (ctx) => as(ctx, "admin").addRegion(4, LONG_NAME),
    error: "RegistryInvalidName",
    args: () => [65],
  },
  {
    fn: "addRegion",
    title: "one region beyond MAX_REGIONS",
    send: (ctx) => ctx.fullRegistry.connect(ctx.who.admin).addRegion(MAX_REGIONS, "One too many"),
    error: "RegistryTooManyRegions",
    args: () => [MAX_REGIONS],
  },
];

const setMaxDefaultsCases: NegativeCase<Ctx>[] = (["regulator", "market", "stranger", "bob"] as const).map((who) =>
  unauthorized("setMaxDefaults", who, ADMIN_ROLE, (ctx) => as(ctx, who).setMaxDefaults(100)),
);

const recordTradeOpenedCases: NegativeCase<Ctx>[] = [
  ...(["admin", "regulator", "bob"] as const).map((who) =>
    unauthorized("recordTradeOpened", who, MARKET_ROLE, (ctx) => as(ctx, who).recordTradeOpened(addr(ctx, "bob"))),
  ),
  notRegistered(
    "recordTradeOpened",
    "for an account never registered",
    (ctx) => addr(ctx, "stranger"),
    (ctx) => as(ctx, "market").recordTradeOpened(addr(ctx, "stranger")),
  ),
  notRegistered(
    "recordTradeOpened",
    "for the zero address",
    () => ZeroAddress,
    (ctx) => as(ctx, "market").recordTradeOpened(ZeroAddress),
  ),
];

const recordTradeClosedCases: NegativeCase<Ctx>[] = [
  ...(["admin", "trader"] as const).map((who) =>
    unauthorized("recordTradeClosed", who, MARKET_ROLE, (ctx) =>
      as(ctx, who).recordTradeClosed(addr(ctx, "trader"), 500_000, false),
    ),
  ),
  notRegistered(
    "recordTradeClosed",
    "for an account never registered",
    (ctx) => addr(ctx, "stranger"),
    (ctx) => as(ctx, "market").recordTradeClosed(addr(ctx, "stranger"), 500_000, false),
  ),
  ...(["bob", "defaulter"] as const).map((who) => ({
    fn: "recordTradeClosed",
    title: `for the ${who} participant, which has no open trade`,
    send: (ctx: Ctx) => as(ctx, "market").recordTradeClosed(addr(ctx, who), 500_000, true),
    error: "RegistryNoOpenTrade",
    args: (ctx: Ctx) => [addr(ctx, who)],
  })),
];

const setReputationCases: NegativeCase<Ctx>[] = [
  ...(["admin", "stranger"] as const).map((who) =>
    unauthorized("setReputation", who, MARKET_ROLE, (ctx) => as(ctx, who).setReputation(addr(ctx, "bob"), 1n)),
  ),
  {
    fn: "setReputation",
    title: "one wei above 1.0",
    send: (ctx) => as(ctx, "market").setReputation(addr(ctx, "bob"), REPUTATION_ONE + 1n),
    error: "RegistryReputationOutOfRange",
    args: () => [REPUTATION_ONE + 1n],
  },
  {
    fn: "setReputation",
    title: "the largest uint64",
    send: (ctx) => as(ctx, "market").setReputation(addr(ctx, "bob"), 2n ** 64n - 1n),
    error: "RegistryReputationOutOfRange",
    args: () => [2n ** 64n - 1n],
  },
  notRegistered(
    "setReputation",
    "for an account never registered",
    (ctx) => addr(ctx, "stranger"),
    (ctx) => as(ctx, "market").setReputation(addr(ctx, "stranger"), REPUTATION_ONE),
  ),
];

const roleCases: NegativeCase<Ctx>[] = [
  ...(["regulator", "market", "stranger", "bob"] as const).map((who, i) =>
    unauthorized("grantRole", who, ADMIN_ROLE, (ctx) =>
      as(ctx, who).grantRole([REGULATOR_ROLE, MARKET_ROLE, ADMIN_ROLE][i % 3], addr(ctx, who)),
    ),
  ),
  ...(["regulator", "market", "stranger", "bob"] as const).map((who, i) =>
    unauthorized("revokeRole", who, ADMIN_ROLE, (ctx) =>
      as(ctx, who).revokeRole(
        [REGULATOR_ROLE, MARKET_ROLE, ADMIN_ROLE][i % 3],
        addr(ctx, ["regulator", "market", "admin"][i % 3] as Who),
      ),
    ),
  ),
  ...(
    [
      ["admin", REGULATOR_ROLE, "regulator"],
      ["regulator", ADMIN_ROLE, "admin"],
      ["market", MARKET_ROLE, "admin"],
      ["stranger", MARKET_ROLE, "market"],
    ] as const
  ).map(([who, role, holder]) => ({
    fn: "renounceRole",
    title: `by the ${who} for the ${holder}`,
    send: (ctx: Ctx) => as(ctx, who).renounceRole(role, addr(ctx, holder)),
    error: "AccessControlBadConfirmation",
  })),
];

/** The views that refuse: a page beyond MAX_PAGE and the eligibility check markets call before an order. */
const viewCases: NegativeCase<Ctx>[] = [
  {
    fn: "participantsPage",
    title: "a page of MAX_PAGE + 1",
    send: (ctx) => ctx.registry.participantsPage(0, 101),
    error: "RegistryPageTooLarge",
    args: () => [101, 100],
  },
  ...(
    [
      ["stranger", Eligibility.NotApproved],
      ["pending", Eligibility.NotApproved],
      ["suspended", Eligibility.Suspended],
      ["defaulter", Eligibility.TooManyDefaults],
    ] as const
  ).map(([who, reason]) => ({
    fn: "requireEligible",
    title: `of the ${who} participant`,
    send: (ctx: Ctx) => ctx.registry.requireEligible(addr(ctx, who)),
    error: "RegistryNotEligible",
    args: (ctx: Ctx) => [addr(ctx, who), reason],
  })),
];

const deployRegistry = (admin: string, regulator: string, ids: number[], names: string[]) =>
  hre.ethers.deployContract("ParticipantRegistry", [admin, regulator, MAX_DEFAULTS, ids, names]);

const constructorCases: NegativeCase<Ctx>[] = [
  {
    fn: "constructor",
    title: "the zero address as admin",
    send: (ctx) => deployRegistry(ZeroAddress, addr(ctx, "regulator"), [1], ["North"]),
    error: "RegistryInvalidAddress",
    args: () => [ZeroAddress],
  },
  {
    fn: "constructor",
    title: "the zero address as regulator",
    send: (ctx) => deployRegistry(addr(ctx, "admin"), ZeroAddress, [1], ["North"]),
    error: "RegistryInvalidAddress",
    args: () => [ZeroAddress],
  },
  {
    fn: "constructor",
    title: "three region ids and two names",
    send: (ctx) => deployRegistry(addr(ctx, "admin"), addr(ctx, "regulator"), [1, 2, 3], ["North", "Central"]),
    error: "RegistryLengthMismatch",
    args: () => [3, 2],
  },
  {
    fn: "constructor",
    title: "a region id twice",
    send: (ctx) => deployRegistry(addr(ctx, "admin"), addr(ctx, "regulator"), [1, 1], ["North", "Nord"]),
    error: "RegistryRegionExists",
    args: () => [1],
  },
  {
    fn: "constructor",
    title: "a region without a name",
    send: (ctx) => deployRegistry(addr(ctx, "admin"), addr(ctx, "regulator"), [1], [""]),
    error: "RegistryInvalidName",
    args: () => [0],
  },
];

const ROLE_ACCOUNTS = ["admin", "regulator", "market", "stranger", "bob"] as const;
const REGION_IDS = [1, 2, 3, 4, 9];

export const participantRegistrySuite: NegativeSuite<Ctx> = {
  contract: "ParticipantRegistry",
  fixture: registryFixture,
  target: (ctx) => ctx.registry,
  // participant() is a participant's whole record (status, registration, rotation, counters, reputation); the
  // other per-account views derive from it, so they are left out.
  digest: (ctx) => {
    const r = ctx.registry;
    const reads: ViewRead[] = [
      [r, "participantCount"],
      [r, "participantsPage", [0, 100]],
      [r, "maxDefaults"],
      [r, "regionIds"],
      [ctx.fullRegistry, "regionIds"],
      ...REGION_IDS.map((region): ViewRead => [r, "regionName", [region]]),
      ...ROLES.map((name): ViewRead => [r, "participant", [addr(ctx, name)]]),
      ...[ADMIN_ROLE, REGULATOR_ROLE, MARKET_ROLE].flatMap((role) =>
        ROLE_ACCOUNTS.map((name): ViewRead => [r, "hasRole", [role, addr(ctx, name)]]),
      ),
    ];
    return readsDigest(reads);
  },
  cases: [
    ...registerCases,
    ...requestMeterRotationCases,
    ...cancelMeterRotationCases,
    ...setSettlementAccountCases,
    ...reviewCases(
      "approve",
      Status.Approved,
      [
        ["bob", Status.Approved],
        ["rejected", Status.Rejected],
        ["suspended", Status.Suspended],
        ["delisted", Status.Delisted],
      ],
      ["stranger", "admin", "market"],
    ),
    ...reviewCases(
      "reject",
      Status.Rejected,
      [
        ["bob", Status.Approved],
        ["rejected", Status.Rejected],
      ],
      ["pending", "admin"],
    ),
    ...reviewCases(
      "suspend",
      Status.Suspended,
      [
        ["pending", Status.Pending],
        ["suspended", Status.Suspended],
        ["delisted", Status.Delisted],
      ],
      ["stranger", "bob"],
    ),
    ...reviewCases(
      "reinstate",
      Status.Approved,
      [
        ["bob", Status.Approved],
        ["pending", Status.Pending],
        ["rejected", Status.Rejected],
      ],
      ["suspended", "admin"],
    ),
    ...delistCases,
    ...approveMeterRotationCases,
    ...addRegionCases,
    ...setMaxDefaultsCases,
    ...recordTradeOpenedCases,
    ...recordTradeClosedCases,
    ...setReputationCases,
    ...roleCases,
    ...viewCases,
    ...constructorCases,
  ],
};
