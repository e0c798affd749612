import hre from "hardhat";
import { ZeroAddress, id } from "ethers";
import type { SettlementToken } from "../../../typechain-types";
import { viewDigest } from "../../helpers/viewDigest";
import type { NegativeSuite } from "./types";

const MINTER_ROLE = id("MINTER_ROLE");
const ADMIN_ROLE = "0x" + "0".repeat(64);
const HELD = 1_000_000n;

async function tokenFixture() {
  const [admin, holder, spender, stranger, minter] = await hre.ethers.getSigners();
  const token = (await hre.ethers.deployContract("SettlementToken", [admin.address])) as unknown as SettlementToken;
  await token.connect(admin).grantRole(MINTER_ROLE, minter.address);
  await token.connect(admin).mint(holder.address, HELD);
  await token.connect(holder).approve(spender.address, HELD / 2n);
  // An allowance without a balance behind it, for the insufficient-balance path of transferFrom.
  await token.connect(stranger).approve(spender.address, HELD);
  return { token, admin, holder, spender, stranger, minter };
}
type Ctx = Awaited<ReturnType<typeof tokenFixture>>;

type Role = Exclude<keyof Ctx, "token">;
const as = (ctx: Ctx, who: Role) => ctx.token.connect(ctx[who]);

export const settlementTokenSuite: NegativeSuite<Ctx> = {
  contract: "SettlementToken",
  fixture: tokenFixture,
  target: (ctx) => ctx.token,
  digest: (ctx) =>
    viewDigest([ctx.token], {
      addresses: [ctx.admin, ctx.holder, ctx.spender, ctx.stranger, ctx.minter]
        .map((s) => s.address)
        .concat(ZeroAddress),
      uints: [],
      bytes32s: [ADMIN_ROLE, MINTER_ROLE],
    }),
  cases: [
    ...(["stranger", "holder", "spender"] as const).map((who) => ({
      fn: "mint",
      title: `by the ${who}, which lacks MINTER_ROLE`,
      send: (ctx: Ctx) => as(ctx, who).mint(ctx[who].address, 1n),
      error: "AccessControlUnauthorizedAccount",
      args: (ctx: Ctx) => [ctx[who].address, MINTER_ROLE],
    })),
    {
      fn: "mint",
      title: "to the zero address",
      send: (ctx) => as(ctx, "admin").mint(ZeroAddress, 1n),
      error: "ERC20InvalidReceiver",
      args: () => [ZeroAddress],
    },
    {
      fn: "constructor",
      title: "the zero address as admin",
      send: () => hre.ethers.deployContract("SettlementToken", [ZeroAddress]),
      error: "SettlementTokenInvalidAddress",
      args: () => [ZeroAddress],
    },
    ...(["holder", "spender", "stranger", "admin"] as const).map((who) => ({
      fn: "approve",
      title: `the zero address as spender, by the ${who}`,
      send: (ctx: Ctx) => as(ctx, who).approve(ZeroAddress, 1n),
      error: "ERC20InvalidSpender",
      args: () => [ZeroAddress],
    })),
    {
      fn: "transfer",
      title: "more than the balance",
      send: (ctx) => as(ctx, "holder").transfer(ctx.stranger.address, HELD + 1n),
      error: "ERC20InsufficientBalance",
      args: (ctx) => [ctx.holder.address, HELD, HELD + 1n],
    },
    {
      fn: "transfer",
      title: "from an empty account",
      send: (ctx) => as(ctx, "stranger").transfer(ctx.holder.address, 1n),
      error: "ERC20InsufficientBalance",
      args: (ctx) => [ctx.stranger.address, 0n, 1n],
    },
    {
      fn: "transfer",
      title: "to the zero address",
      send: (ctx) => as(ctx, "holder").transfer(ZeroAddress, 1n),
      error: "ERC20InvalidReceiver",
      args: () => [ZeroAddress],
    },
    {
      fn: "transfer",
      title: "the whole balance to the zero address",
      send: (ctx) => as(ctx, "holder").transfer(ZeroAddress, HELD),
      error: "ERC20InvalidReceiver",
      args: () => [ZeroAddress],
    },
    {
      fn: "transferFrom",
      title: "without any allowance",
      send: (ctx) => as(ctx, "stranger").transferFrom(ctx.holder.address, ctx.stranger.address, 1n),
      error: "ERC20InsufficientAllowance",
      args: (ctx) => [ctx.stranger.address, 0n, 1n],
    },
    {
      fn: "transferFrom",
      title: "one unit beyond the allowance",
      send: (ctx) => as(ctx, "spender").transferFrom(ctx.holder.address, ctx.spender.address, HELD / 2n + 1n),
      error: "ERC20InsufficientAllowance",
      args: (ctx) => [ctx.spender.address, HELD / 2n, HELD / 2n + 1n],
    },
    {
      fn: "transferFrom",
      title: "within the allowance but beyond the owner's balance",
      send: (ctx) => as(ctx, "spender").transferFrom(ctx.stranger.address, ctx.spender.address, 1n),
      error: "ERC20InsufficientBalance",
      args: (ctx) => [ctx.stranger.address, 0n, 1n],
    },
    {
      fn: "transferFrom",
      title: "zero units from the zero address, which never approved anyone",
      send: (ctx) => as(ctx, "spender").transferFrom(ZeroAddress, ctx.spender.address, 0n),
      error: "ERC20InvalidApprover",
      args: () => [ZeroAddress],
    },
    {
      fn: "transferFrom",
      title: "within the allowance to the zero address",
      send: (ctx) => as(ctx, "spender").transferFrom(ctx.holder.address, ZeroAddress, 1n),
      error: "ERC20InvalidReceiver",
      args: () => [ZeroAddress],
    },
    ...(["stranger", "holder", "spender", "minter"] as const).map((who, i) => ({
      fn: "grantRole",
      title: `by the ${who}, which is not an admin`,
      send: (ctx: Ctx) => as(ctx, who).grantRole(i % 2 ? ADMIN_ROLE : MINTER_ROLE, ctx[who].address),
      error: "AccessControlUnauthorizedAccount",
      args: (ctx: Ctx) => [ctx[who].address, ADMIN_ROLE],
    })),
    ...(["stranger", "holder", "spender", "minter"] as const).map((who, i) => ({
      fn: "revokeRole",
      title: `by the ${who}, which is not an admin`,
      send: (ctx: Ctx) => as(ctx, who).revokeRole(i % 2 ? ADMIN_ROLE : MINTER_ROLE, ctx.admin.address),
      error: "AccessControlUnauthorizedAccount",
      args: (ctx: Ctx) => [ctx[who].address, ADMIN_ROLE],
    })),
    ...(["stranger", "holder", "minter", "admin"] as const).map((who) => ({
      fn: "renounceRole",
      title: `by the ${who} for another account`,
      send: (ctx: Ctx) =>
        as(ctx, who).renounceRole(
          who === "admin" ? MINTER_ROLE : ADMIN_ROLE,
          who === "admin" ? ctx.minter.address : ctx.admin.address,
        ),
      error: "AccessControlBadConfirmation",
    })),
  ],
};
