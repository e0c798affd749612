import hre from "hardhat";
import { ZeroAddress, ZeroHash, id } from "ethers";
import type { GreenCertificate } from "../../../typechain-types";
import { readsDigest, type ViewRead } from "../../helpers/viewDigest";
import type { NegativeCase, NegativeSuite } from "./types";

const MINTER_ROLE = id("MINTER_ROLE");
const ADMIN_ROLE = ZeroHash;
const VINTAGE = 24n;
const OTHER_VINTAGE = 25n;
const NOT_HELD = 26n;
const HELD = 5_000n;
const HELD_OTHER = 1_000n;
const MAX_BENEFICIARY_BYTES = 128;

/**
 * A holder with HELD Wh of vintage 24 and HELD_OTHER of vintage 25 and an operator it approved, a minter standing
 * in for the escrow, and a contract without ERC-1155 hooks.
 */
async function heldFixture() {
  const [admin, minter, holder, other, operator] = await hre.ethers.getSigners();
  const certificates = (await hre.ethers.deployContract("GreenCertificate", [
    admin.address,
    "ipfs://greengrid/{id}",
  ])) as unknown as GreenCertificate;
  await certificates.connect(admin).grantRole(MINTER_ROLE, minter.address);
  await certificates.connect(minter).mint(holder.address, VINTAGE, HELD, 1n);
  await certificates.connect(minter).mint(holder.address, OTHER_VINTAGE, HELD_OTHER, 2n);
  await certificates.connect(holder).setApprovalForAll(operator.address, true);
  const wallet = await hre.ethers.deployContract("ContractParticipant", [], holder);
  return { certificates, admin, minter, holder, other, operator, wallet: await wallet.getAddress() };
}
type Ctx = Awaited<ReturnType<typeof heldFixture>>;

type Who = "admin" | "minter" | "holder" | "other" | "operator";
const as = (ctx: Ctx, who: Who) => ctx.certificates.connect(ctx[who]);
const transfer = (ctx: Ctx, by: Who, to: string, amount: bigint, from = ctx.holder.address) =>
  as(ctx, by).safeTransferFrom(from, to, VINTAGE, amount, "0x");
const batch = (ctx: Ctx, by: Who, to: string, ids: bigint[], amounts: bigint[]) =>
  as(ctx, by).safeBatchTransferFrom(ctx.holder.address, to, ids, amounts, "0x");

function unauthorized(fn: string, who: Who, role: string, send: (ctx: Ctx) => Promise<unknown>): NegativeCase<Ctx> {
  return {
    fn,
    title: `by the ${who}, which lacks ${role === MINTER_ROLE ? "MINTER_ROLE" : "DEFAULT_ADMIN_ROLE"}`,
    send,
    error: "AccessControlUnauthorizedAccount",
    args: (ctx) => [ctx[who].address, role],
  };
}

function insufficient(fn: string, title: string, send: (ctx: Ctx) => Promise<unknown>, args: (ctx: Ctx) => unknown[]) {
  return { fn, title, send, error: "ERC1155InsufficientBalance", args };
}

const mintCases: NegativeCase<Ctx>[] = [
  ...(["admin", "holder", "other"] as const).map((who) =>
    unauthorized("mint", who, MINTER_ROLE, (ctx) => as(ctx, who).mint(ctx[who].address, VINTAGE, 1n, 0n)),
  ),
  {
    fn: "mint",
    title: "zero Wh",
    send: (ctx) => as(ctx, "minter").mint(ctx.holder.address, VINTAGE, 0n, 3n),
    error: "CertificateZeroAmount",
  },
  {
    fn: "mint",
    title: "to the zero address",
    send: (ctx) => as(ctx, "minter").mint(ZeroAddress, VINTAGE, 1n, 0n),
    error: "ERC1155InvalidReceiver",
    args: () => [ZeroAddress],
  },
  {
    fn: "mint",
    title: "to a contract without receiver hooks",
    send: (ctx) => as(ctx, "minter").mint(ctx.wallet, VINTAGE, 1n, 0n),
    error: "ERC1155InvalidReceiver",
    args: (ctx) => [ctx.wallet],
  },
];

const retireCases: NegativeCase<Ctx>[] = [
  {
    fn: "retire",
    title: "zero Wh",
    send: (ctx) => as(ctx, "holder").retire(VINTAGE, 0n, "GreenGrid demo"),
    error: "CertificateZeroAmount",
  },
  {
    fn: "retire",
    title: "without a beneficiary",
    send: (ctx) => as(ctx, "holder").retire(VINTAGE, 1n, ""),
    error: "CertificateInvalidBeneficiary",
    args: () => [0, MAX_BENEFICIARY_BYTES],
  },
  {
    fn: "retire",
    title: "a beneficiary of 129 bytes",
    send: (ctx) => as(ctx, "holder").retire(VINTAGE, 1n, "b".repeat(129)),
    error: "CertificateInvalidBeneficiary",
    args: () => [129, MAX_BENEFICIARY_BYTES],
  },
  insufficient(
    "retire",
    "one Wh more than held",
    (ctx) => as(ctx, "holder").retire(VINTAGE, HELD + 1n, "GreenGrid demo"),
    (ctx) => [ctx.holder.address, HELD, HELD + 1n, VINTAGE],
  ),
  insufficient(
    "retire",
    "by an account holding none",
    (ctx) => as(ctx, "other").retire(VINTAGE, 1n, "GreenGrid demo"),
    (ctx) => [ctx.other.address, 0n, 1n, VINTAGE],
  ),
  insufficient(
    "retire",
    "a vintage the holder does not hold",
    (ctx) => as(ctx, "holder").retire(NOT_HELD, 1n, "GreenGrid demo"),
    (ctx) => [ctx.holder.address, 0n, 1n, NOT_HELD],
  ),
];

const setURICases: NegativeCase<Ctx>[] = (["minter", "holder", "other", "operator"] as const).map((who) =>
  unauthorized("setURI", who, ADMIN_ROLE, (ctx) => as(ctx, who).setURI("ipfs://elsewhere/{id}")),
);

const safeTransferFromCases: NegativeCase<Ctx>[] = [
  {
    fn: "safeTransferFrom",
    title: "by someone the holder never approved",
    send: (ctx) => transfer(ctx, "other", ctx.other.address, 1n),
    error: "ERC1155MissingApprovalForAll",
    args: (ctx) => [ctx.other.address, ctx.holder.address],
  },
  {
    fn: "safeTransferFrom",
    title: "from the zero address",
    send: (ctx) => transfer(ctx, "other", ctx.other.address, 1n, ZeroAddress),
    error: "ERC1155MissingApprovalForAll",
    args: (ctx) => [ctx.other.address, ZeroAddress],
  },
  {
    fn: "safeTransferFrom",
    title: "to the zero address",
    send: (ctx) => transfer(ctx, "holder", ZeroAddress, 1n),
    error: "ERC1155InvalidReceiver",
    args: () => [ZeroAddress],
  },
  {
    fn: "safeTransferFrom",
    title: "to a contract without receiver hooks",
    send: (ctx) => transfer(ctx, "holder", ctx.wallet, 1n),
    error: "ERC1155InvalidReceiver",
    args: (ctx) => [ctx.wallet],
  },
  insufficient(
    "safeTransferFrom",
    "one Wh more than held",
    (ctx) => transfer(ctx, "holder", ctx.other.address, HELD + 1n),
    (ctx) => [ctx.holder.address, HELD, HELD + 1n, VINTAGE],
  ),
  insufficient(
    "safeTransferFrom",
    "by the approved operator, one Wh more than held",
    (ctx) => transfer(ctx, "operator", ctx.operator.address, HELD + 1n),
    (ctx) => [ctx.holder.address, HELD, HELD + 1n, VINTAGE],
  ),
];

const safeBatchTransferFromCases: NegativeCase<Ctx>[] = [
  {
    fn: "safeBatchTransferFrom",
    title: "by someone the holder never approved",
    send: (ctx) => batch(ctx, "other", ctx.other.address, [VINTAGE], [1n]),
    error: "ERC1155MissingApprovalForAll",
    args: (ctx) => [ctx.other.address, ctx.holder.address],
  },
  {
    fn: "safeBatchTransferFrom",
    title: "ids and amounts of different lengths",
    send: (ctx) => batch(ctx, "holder", ctx.other.address, [VINTAGE, OTHER_VINTAGE], [1n]),
    error: "ERC1155InvalidArrayLength",
    args: () => [2, 1],
  },
  insufficient(
    "safeBatchTransferFrom",
    "the second id beyond its balance (the first is rolled back)",
    (ctx) => batch(ctx, "operator", ctx.other.address, [VINTAGE, OTHER_VINTAGE], [HELD, HELD_OTHER + 1n]),
    (ctx) => [ctx.holder.address, HELD_OTHER, HELD_OTHER + 1n, OTHER_VINTAGE],
  ),
  {
    fn: "safeBatchTransferFrom",
    title: "to the zero address",
    send: (ctx) => batch(ctx, "holder", ZeroAddress, [VINTAGE], [1n]),
    error: "ERC1155InvalidReceiver",
    args: () => [ZeroAddress],
  },
  {
    fn: "safeBatchTransferFrom",
    title: "to a contract without receiver hooks",
    send: (ctx) => batch(ctx, "holder", ctx.wallet, [VINTAGE, OTHER_VINTAGE], [1n, 1n]),
    error: "ERC1155InvalidReceiver",
    args: (ctx) => [ctx.wallet],
  },
];

const setApprovalForAllCases: NegativeCase<Ctx>[] = (
  [
    ["holder", true],
    ["holder", false],
    ["other", true],
    ["operator", false],
  ] as const
).map(([who, approved]) => ({
  fn: "setApprovalForAll",
  title: `${approved ? "approving" : "revoking"} the zero address as operator, by the ${who}`,
  send: (ctx: Ctx) => as(ctx, who).setApprovalForAll(ZeroAddress, approved),
  error: "ERC1155InvalidOperator",
  args: () => [ZeroAddress],
}));

const roleCases: NegativeCase<Ctx>[] = [
  ...(["minter", "holder", "other", "operator"] as const).map((who, i) =>
    unauthorized("grantRole", who, ADMIN_ROLE, (ctx) =>
      as(ctx, who).grantRole(i % 2 ? ADMIN_ROLE : MINTER_ROLE, ctx[who].address),
    ),
  ),
  ...(["minter", "holder", "other", "operator"] as const).map((who, i) =>
    unauthorized("revokeRole", who, ADMIN_ROLE, (ctx) =>
      as(ctx, who).revokeRole(i % 2 ? ADMIN_ROLE : MINTER_ROLE, i % 2 ? ctx.admin.address : ctx.minter.address),
    ),
  ),
  ...(
    [
      ["admin", MINTER_ROLE, "minter"],
      ["minter", ADMIN_ROLE, "admin"],
      ["holder", MINTER_ROLE, "minter"],
      ["operator", ADMIN_ROLE, "admin"],
    ] as const
  ).map(([who, role, holder]) => ({
    fn: "renounceRole",
    title: `by the ${who} for the ${holder}`,
    send: (ctx: Ctx) => as(ctx, who).renounceRole(role, ctx[holder].address),
    error: "AccessControlBadConfirmation",
  })),
];

const viewCases: NegativeCase<Ctx>[] = [
  {
    fn: "balanceOfBatch",
    title: "accounts and ids of different lengths",
    send: (ctx) => ctx.certificates.balanceOfBatch([ctx.holder.address], [VINTAGE, OTHER_VINTAGE]),
    error: "ERC1155InvalidArrayLength",
    args: () => [2, 1],
  },
];

const constructorCases: NegativeCase<Ctx>[] = [
  {
    fn: "constructor",
    title: "the zero address as admin",
    send: () => hre.ethers.deployContract("GreenCertificate", [ZeroAddress, "ipfs://greengrid/{id}"]),
    error: "CertificateInvalidAddress",
    args: () => [ZeroAddress],
  },
];

const VINTAGES = [VINTAGE, OTHER_VINTAGE, NOT_HELD];

export const greenCertificateSuite: NegativeSuite<Ctx> = {
  contract: "GreenCertificate",
  fixture: heldFixture,
  target: (ctx) => ctx.certificates,
  // Every account's balance of every vintage in one balanceOfBatch, supplies, retirements, the approvals the
  // cases try to set and the roles.
  digest: (ctx) => {
    const c = ctx.certificates;
    const accounts = [ctx.admin, ctx.minter, ctx.holder, ctx.other, ctx.operator].map((s) => s.address);
    accounts.push(ctx.wallet);
    const pairs = accounts.flatMap((a) => VINTAGES.map((v) => [a, v] as const));
    const approvals = [
      [ctx.holder, ctx.operator.address],
      [ctx.holder, ctx.other.address],
      [ctx.holder, ZeroAddress],
      [ctx.other, ZeroAddress],
      [ctx.operator, ZeroAddress],
    ] as const;
    return readsDigest([
      [c, "balanceOfBatch", [pairs.map(([a]) => a), pairs.map(([, v]) => v)]],
      [c, "totalSupply()"],
      [c, "uri", [VINTAGE]],
      ...VINTAGES.flatMap((v): ViewRead[] => [
        [c, "totalSupply(uint256)", [v]],
        [c, "retiredWh", [v]],
      ]),
      ...[ctx.holder, ctx.other].map((s): ViewRead => [c, "retiredWhOf", [s.address, VINTAGE]]),
      ...approvals.map(([owner, operator]): ViewRead => [c, "isApprovedForAll", [owner.address, operator]]),
      ...[ADMIN_ROLE, MINTER_ROLE].flatMap((role) => accounts.map((a): ViewRead => [c, "hasRole", [role, a]])),
    ]);
  },
  cases: [
    ...mintCases,
    ...retireCases,
    ...setURICases,
    ...safeTransferFromCases,
    ...safeBatchTransferFromCases,
    ...setApprovalForAllCases,
    ...roleCases,
    ...viewCases,
    ...constructorCases,
  ],
};
