import hre from "hardhat";
import { ZeroAddress, ZeroHash } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { EnergyEscrow, FalseReturningToken, ReentrantToken } from "../../../typechain-types";
import { encodeRegistration } from "../../../src/chain/registry";
import { recoverReadingSigner, signReading } from "../../../src/chain/escrow";
import { costUp } from "../../../src/core/units";
import {
  BUYER_MARGIN,
  GEUR,
  MARKET_ROLE,
  PRICE,
  R,
  REWARD,
  SELLER_MARGIN,
  meterWallet,
  openTrade,
  partiesFixture,
  signedReading,
  submit,
  tradeTerms,
} from "../../helpers/escrowFixtures";
import { readsDigest, type ViewRead } from "../../helpers/viewDigest";
import { escrowDigest } from "./marketSetup";
import type { NegativeCase, NegativeSuite } from "./types";

const ADMIN_ROLE = ZeroHash;
const CHAIN_ID = 31337n;
const MAX_BATCH = 50;
const STANDING_LOCK = 3n * GEUR;
const LIVE_WH = 4_000n;
const LIVE_SEQUENCE = 10n;
/** What _requireGasFor asks before the reputation store's capped call: 150,000 + 150,000 / 63 + 10,000. */
const REPUTATION_CALL_NEEDS = 162_380n;
const UNKNOWN = 99n;

/** Escrows on the misbehaving test tokens, each with the seller's deposit where a case needs one. */
async function auxiliaryEscrows(f: Awaited<ReturnType<typeof partiesFixture>>) {
  const seller = f.seller.signer;
  const params = { lossToleranceBps: 500, rewardPerTrade: REWARD };
  const escrowOn = async (token: { getAddress(): Promise<string> }) =>
    (await hre.ethers.deployContract("EnergyEscrow", [
      f.operator.address,
      await f.registry.getAddress(),
      await token.getAddress(),
      await f.certificates.getAddress(),
      params,
    ])) as unknown as EnergyEscrow;

  // transfers return false once `failing` is set; the seller deposited before
  const falseToken = (await hre.ethers.deployContract("FalseReturningToken")) as unknown as FalseReturningToken;
  const falseEscrow = await escrowOn(falseToken);
  await falseToken.mint(seller.address, 10n * GEUR);
  await falseToken.connect(seller).approve(await falseEscrow.getAddress(), 10n * GEUR);
  await falseEscrow.connect(seller).deposit(5n * GEUR);
  await falseToken.setFailing(true);

  // a 100 % fee: nothing ever arrives
  const feeToken = await hre.ethers.deployContract("FeeOnTransferToken", [10_000]);
  const feeEscrow = await escrowOn(feeToken);
  await feeToken.getFunction("mint")(seller.address, 10n * GEUR);
  await feeToken.connect(seller).getFunction("approve")(await feeEscrow.getAddress(), 10n * GEUR);

  // every transfer calls hookEscrow.sweepSurplus() from inside the escrow's own call
  const hookToken = (await hre.ethers.deployContract("ReentrantToken")) as unknown as ReentrantToken;
  const hookEscrow = await escrowOn(hookToken);
  await hookToken.mint(seller.address, 10n * GEUR);
  await hookToken.connect(seller).approve(await hookEscrow.getAddress(), 10n * GEUR);
  await hookEscrow.connect(seller).deposit(5n * GEUR);
  await hookToken.arm(await hookEscrow.getAddress(), hookEscrow.interface.encodeFunctionData("sweepSurplus"));

  return { falseToken, falseEscrow, feeToken, feeEscrow, hookToken, hookEscrow };
}

/**
 * The escrow with a trade in every state a call can meet: settled honestly while the reward pool was empty
 * (reward owed), open past its deadline, settled with certificates deferred to a contract buyer (vintage 7, and
 * vintage 8 already claimed), before delivery, and in delivery with the provider's reading at sequence 10. The
 * market holds a standing lock on the buyer, as an open order would. Readings for the cases are signed here.
 */
async function escrowFixture() {
  const f = await partiesFixture();
  const { registry, token, escrow, operator, market, seller, buyer } = f;
  const walletOwner = (await hre.ethers.getSigners())[8];
  const escrowAddress = await escrow.getAddress();
  const S = seller.signer.address;
  const B = buyer.signer.address;

  const wallet = await hre.ethers.deployContract("ContractParticipant", [], walletOwner);
  const W = await wallet.getAddress();
  const walletMeter = meterWallet("wallet buyer");
  const viaWallet = (target: string, data: string) => wallet.getFunction("execute")(target, data);
  await viaWallet(
    await registry.getAddress(),
    registry.interface.encodeFunctionData("register", [
      encodeRegistration({
        displayName: "Wallet buyer",
        meterId: "MTR-WALLET-BUYER",
        meterDevice: walletMeter.address,
        region: 1,
        voltageLevel: 1,
        source: "None",
        capacityW: 1_000n,
        batteryWh: 0n,
        settlementAccount: W,
      }),
    ]),
  );
  await registry.connect(operator).approve(W);
  await token.connect(operator).mint(W, 20n * GEUR);
  await viaWallet(await token.getAddress(), token.interface.encodeFunctionData("approve", [escrowAddress, 20n * GEUR]));
  await viaWallet(escrowAddress, escrow.interface.encodeFunctionData("deposit", [20n * GEUR]));

  const honest = await openTrade(escrow, market, S, B);
  const overdue = await openTrade(escrow, market, S, B);
  const deferred = await openTrade(escrow, market, S, W, { period: 7n });
  const claimed = await openTrade(escrow, market, S, W, { period: 8n });
  await time.increaseTo(claimed.terms.deliveryStart);
  await submit(escrow, seller.meter, honest.tradeId, "provider", R, 1n);
  await submit(escrow, buyer.meter, honest.tradeId, "user", R, 1n);
  await submit(escrow, seller.meter, deferred.tradeId, "provider", R, 2n);
  await submit(escrow, walletMeter, deferred.tradeId, "user", R, 1n);
  await submit(escrow, seller.meter, claimed.tradeId, "provider", R, 3n);
  await submit(escrow, walletMeter, claimed.tradeId, "user", R, 2n);
  await time.increaseTo(claimed.terms.deliveryEnd);
  for (const t of [honest, deferred, claimed]) await escrow.settle(t.tradeId);
  await viaWallet(escrowAddress, escrow.interface.encodeFunctionData("claimCertificates", [8n, walletOwner.address]));
  await time.increaseTo(overdue.terms.settlementDeadline);

  const future = await openTrade(escrow, market, S, B, { startIn: 86_400 });
  const live = await openTrade(escrow, market, S, B, { duration: 7_200 });
  await time.increaseTo(live.terms.deliveryStart);
  await submit(escrow, seller.meter, live.tradeId, "provider", LIVE_WH, LIVE_SEQUENCE);
  await escrow.connect(market).lock(B, STANDING_LOCK);
  // allowances without a balance behind them
  await token.connect(walletOwner).approve(escrowAddress, 10n * GEUR);

  const aux = await auxiliaryEscrows(f);
  const sign = (meter: typeof seller.meter, tradeId: bigint, side: "provider" | "user", wh: bigint, seq: bigint) =>
    signedReading(escrow, meter, tradeId, side, wh, seq);
  const next = await sign(seller.meter, live.tradeId, "provider", 5_000n, LIVE_SEQUENCE + 1n);
  const foreign = await signReading(seller.meter, await aux.falseEscrow.getAddress(), next.reading);
  const signed = {
    next,
    userNext: await sign(buyer.meter, live.tradeId, "user", 1_000n, 2n),
    replayed: await sign(seller.meter, live.tradeId, "provider", LIVE_WH, LIVE_SEQUENCE),
    older: await sign(seller.meter, live.tradeId, "provider", 4_500n, LIVE_SEQUENCE - 1n),
    decreased: await sign(seller.meter, live.tradeId, "provider", 3_000n, LIVE_SEQUENCE + 2n),
    byBuyerMeter: await sign(buyer.meter, live.tradeId, "provider", 5_000n, LIVE_SEQUENCE + 1n),
    foreign,
    otherChain: await signedReading(escrow, buyer.meter, live.tradeId, "user", 1_000n, 2n, 1n),
    badSide: await signReading(seller.meter, escrowAddress, { ...next.reading, side: 2 }),
    unknown: await sign(seller.meter, UNKNOWN, "provider", 1_000n, LIVE_SEQUENCE + 1n),
    settled: await sign(seller.meter, honest.tradeId, "provider", R, LIVE_SEQUENCE + 1n),
    early: await sign(buyer.meter, future.tradeId, "user", 1_000n, 2n),
    late: await sign(seller.meter, overdue.tradeId, "provider", R, LIVE_SEQUENCE + 1n),
  };
  // Enough gas for everything before the reputation store's call, not for its capped share.
  const starvedGas = (await escrow.settle.estimateGas(overdue.tradeId)) - 30_000n;

  return {
    ...f,
    ...aux,
    walletOwner,
    wallet,
    W,
    walletMeter,
    viaWallet,
    trades: { honest, overdue, deferred, claimed, future, live },
    signed,
    foreignSigner: recoverReadingSigner(escrowAddress, CHAIN_ID, foreign.reading, foreign.signature),
    starvedGas,
    buyerFree: await escrow.freeBalanceOf(B),
    now: BigInt(await time.latest()),
  };
}
type Ctx = Awaited<ReturnType<typeof escrowFixture>>;

const S = (ctx: Ctx) => ctx.seller.signer.address;
const B = (ctx: Ctx) => ctx.buyer.signer.address;
const id = (ctx: Ctx, name: keyof Ctx["trades"]) => ctx.trades[name].tradeId;
const sellerDevice = (ctx: Ctx) => ctx.seller.meter.address;
type Caller = "operator" | "market" | "otherMarket" | "stranger" | "walletOwner" | "seller" | "buyer";
const signer = (ctx: Ctx, who: Caller) =>
  who === "seller" ? ctx.seller.signer : who === "buyer" ? ctx.buyer.signer : ctx[who];
const as = (ctx: Ctx, who: Caller) => ctx.escrow.connect(signer(ctx, who));
const before = (limit: bigint) => (t: bigint) => t < limit;
const atOrAfter = (limit: bigint) => (t: bigint) => t >= limit;

function unauthorized(
  fn: string,
  who: Caller,
  role: string,
  send: (ctx: Ctx) => Promise<unknown>,
  title = `by the ${who}, which lacks ${role === MARKET_ROLE ? "MARKET_ROLE" : "DEFAULT_ADMIN_ROLE"}`,
): NegativeCase<Ctx> {
  return {
    fn,
    title,
    send,
    error: "AccessControlUnauthorizedAccount",
    args: (ctx) => [signer(ctx, who).address, role],
  };
}

const lockCases: NegativeCase<Ctx>[] = [
  unauthorized("lock", "stranger", MARKET_ROLE, (ctx) => as(ctx, "stranger").lock(B(ctx), 1n)),
  unauthorized("lock", "seller", MARKET_ROLE, (ctx) => as(ctx, "seller").lock(S(ctx), 1n)),
  { fn: "lock", title: "zero", send: (ctx) => as(ctx, "market").lock(B(ctx), 0n), error: "EscrowZeroAmount" },
  {
    fn: "lock",
    title: "one unit beyond the buyer's free balance",
    send: (ctx) => as(ctx, "market").lock(B(ctx), ctx.buyerFree + 1n),
    error: "EscrowInsufficientFree",
    args: (ctx) => [B(ctx), ctx.buyerFree, ctx.buyerFree + 1n],
  },
  {
    fn: "lock",
    title: "an account that never deposited",
    send: (ctx) => as(ctx, "market").lock(ctx.stranger.address, 1n),
    error: "EscrowInsufficientFree",
    args: (ctx) => [ctx.stranger.address, 0n, 1n],
  },
];

const unlockCases: NegativeCase<Ctx>[] = [
  unauthorized("unlock", "stranger", MARKET_ROLE, (ctx) => as(ctx, "stranger").unlock(B(ctx), 1n)),
  { fn: "unlock", title: "zero", send: (ctx) => as(ctx, "market").unlock(B(ctx), 0n), error: "EscrowZeroAmount" },
  {
    fn: "unlock",
    title: "one unit beyond what this market locked",
    send: (ctx) => as(ctx, "market").unlock(B(ctx), STANDING_LOCK + 1n),
    error: "EscrowInsufficientLocked",
    args: (ctx) => [ctx.market.address, B(ctx), STANDING_LOCK, STANDING_LOCK + 1n],
  },
  {
    fn: "unlock",
    title: "another market's lock",
    send: (ctx) => as(ctx, "otherMarket").unlock(B(ctx), 1n),
    error: "EscrowInsufficientLocked",
    args: (ctx) => [ctx.otherMarket.address, B(ctx), 0n, 1n],
  },
  {
    fn: "unlock",
    title: "a margin an open trade holds",
    send: (ctx) => as(ctx, "market").unlock(S(ctx), SELLER_MARGIN),
    error: "EscrowInsufficientLocked",
    args: (ctx) => [ctx.market.address, S(ctx), 0n, SELLER_MARGIN],
  },
];

const termsOf = (ctx: Ctx, overrides: Partial<ReturnType<typeof tradeTerms>> = {}) => ({
  ...tradeTerms(S(ctx), B(ctx), Number(ctx.now)),
  ...overrides,
});
const createWith = (ctx: Ctx, overrides: Partial<ReturnType<typeof tradeTerms>> = {}) =>
  as(ctx, "market").createTrade(termsOf(ctx, overrides));
const PREPAYMENT = costUp(R, PRICE);

const createTradeCases: NegativeCase<Ctx>[] = [
  unauthorized("createTrade", "stranger", MARKET_ROLE, (ctx) => as(ctx, "stranger").createTrade(termsOf(ctx))),
  unauthorized("createTrade", "seller", MARKET_ROLE, (ctx) => as(ctx, "seller").createTrade(termsOf(ctx))),
  {
    fn: "createTrade",
    title: "the zero address as seller",
    send: (ctx) => createWith(ctx, { seller: ZeroAddress }),
    error: "EscrowInvalidAddress",
    args: () => [ZeroAddress],
  },
  {
    fn: "createTrade",
    title: "the zero address as buyer",
    send: (ctx) => createWith(ctx, { buyer: ZeroAddress }),
    error: "EscrowInvalidAddress",
    args: () => [ZeroAddress],
  },
  {
    fn: "createTrade",
    title: "the seller as its own buyer",
    send: (ctx) => createWith(ctx, { buyer: S(ctx) }),
    error: "EscrowSelfTrade",
    args: (ctx) => [S(ctx)],
  },
  {
    fn: "createTrade",
    title: "zero energy",
    send: (ctx) => createWith(ctx, { energyWh: 0n }),
    error: "EscrowZeroEnergy",
  },
  {
    fn: "createTrade",
    title: "delivery ending when it starts",
    send: (ctx) => createWith(ctx, { deliveryEnd: termsOf(ctx).deliveryStart }),
    error: "EscrowInvalidSchedule",
    args: (ctx) => {
      const t = termsOf(ctx);
      return [t.deliveryStart, t.deliveryStart, t.settlementDeadline, atOrAfter(ctx.now)];
    },
  },
  {
    fn: "createTrade",
    title: "a settlement deadline already passed",
    send: (ctx) =>
      createWith(ctx, { deliveryStart: ctx.now - 7_200n, deliveryEnd: ctx.now - 3_600n, settlementDeadline: ctx.now }),
    error: "EscrowInvalidSchedule",
    args: (ctx) => [ctx.now - 7_200n, ctx.now - 3_600n, ctx.now, atOrAfter(ctx.now)],
  },
  {
    fn: "createTrade",
    title: "a prepayment one unit below the largest payment",
    send: (ctx) => createWith(ctx, { prepayment: PREPAYMENT - 1n }),
    error: "EscrowPrepaymentTooLow",
    args: () => [PREPAYMENT - 1n, PREPAYMENT],
  },
  {
    fn: "createTrade",
    title: "a prepayment beyond uint128",
    send: (ctx) => createWith(ctx, { prepayment: 2n ** 128n }),
    error: "SafeCastOverflowedUintDowncast",
    args: () => [128, 2n ** 128n],
  },
  {
    fn: "createTrade",
    title: "a seller margin the market never locked",
    send: (ctx) => createWith(ctx),
    error: "EscrowInsufficientLocked",
    args: (ctx) => [ctx.market.address, S(ctx), 0n, SELLER_MARGIN],
  },
  {
    fn: "createTrade",
    title: "a buyer's margin and prepayment beyond the market's standing lock",
    send: (ctx) => createWith(ctx, { sellerMargin: 0n }),
    error: "EscrowInsufficientLocked",
    args: (ctx) => [ctx.market.address, B(ctx), STANDING_LOCK, BUYER_MARGIN + PREPAYMENT],
  },
];

type Signed = keyof Ctx["signed"];
const reading = (ctx: Ctx, name: Signed) => ctx.signed[name];
const submitOne = (ctx: Ctx, name: Signed, signature?: string) =>
  as(ctx, "stranger").submitReading(reading(ctx, name).reading, signature ?? reading(ctx, name).signature);
const submitMany = (ctx: Ctx, names: Signed[]) =>
  as(ctx, "stranger").submitReadings(
    names.map((n) => reading(ctx, n).reading),
    names.map((n) => reading(ctx, n).signature),
  );
const window = (ctx: Ctx, name: keyof Ctx["trades"]) => [
  ctx.trades[name].terms.deliveryStart,
  ctx.trades[name].terms.settlementDeadline,
];

const submitReadingCases: NegativeCase<Ctx>[] = [
  {
    fn: "submitReading",
    title: "a valid signature over another chain id",
    send: (ctx) => submitOne(ctx, "otherChain"),
    error: "EscrowWrongChain",
    args: () => [CHAIN_ID, 1n],
  },
  {
    fn: "submitReading",
    title: "side 2",
    send: (ctx) => submitOne(ctx, "badSide"),
    error: "EscrowInvalidSide",
    args: () => [2],
  },
  {
    fn: "submitReading",
    title: "a trade never created",
    send: (ctx) => submitOne(ctx, "unknown"),
    error: "EscrowUnknownTrade",
    args: () => [UNKNOWN],
  },
  {
    fn: "submitReading",
    title: "a settled trade",
    send: (ctx) => submitOne(ctx, "settled"),
    error: "EscrowAlreadySettled",
    args: (ctx) => [id(ctx, "honest")],
  },
  {
    fn: "submitReading",
    title: "before delivery starts",
    send: (ctx) => submitOne(ctx, "early"),
    error: "EscrowReadingOutsideWindow",
    args: (ctx) => [id(ctx, "future"), before(ctx.trades.future.terms.deliveryStart), ...window(ctx, "future")],
  },
  {
    fn: "submitReading",
    title: "after the settlement deadline",
    send: (ctx) => submitOne(ctx, "late"),
    error: "EscrowReadingOutsideWindow",
    args: (ctx) => [
      id(ctx, "overdue"),
      atOrAfter(ctx.trades.overdue.terms.settlementDeadline),
      ...window(ctx, "overdue"),
    ],
  },
  {
    fn: "submitReading",
    title: "the provider side signed by the buyer's meter",
    send: (ctx) => submitOne(ctx, "byBuyerMeter"),
    error: "EscrowWrongSigner",
    args: (ctx) => [id(ctx, "live"), 0, sellerDevice(ctx), ctx.buyer.meter.address],
  },
  {
    fn: "submitReading",
    title: "signed for another escrow's domain",
    send: (ctx) => submitOne(ctx, "foreign"),
    error: "EscrowWrongSigner",
    args: (ctx) => [id(ctx, "live"), 0, sellerDevice(ctx), ctx.foreignSigner],
  },
  {
    fn: "submitReading",
    title: "a two-byte signature",
    send: (ctx) => submitOne(ctx, "next", "0x1234"),
    error: "EscrowWrongSigner",
    args: (ctx) => [id(ctx, "live"), 0, sellerDevice(ctx), ZeroAddress],
  },
  {
    fn: "submitReading",
    title: "the accepted reading again (replay)",
    send: (ctx) => submitOne(ctx, "replayed"),
    error: "EscrowReplayedReading",
    args: (ctx) => [sellerDevice(ctx), LIVE_SEQUENCE, LIVE_SEQUENCE],
  },
  {
    fn: "submitReading",
    title: "a sequence below the device's last",
    send: (ctx) => submitOne(ctx, "older"),
    error: "EscrowReplayedReading",
    args: (ctx) => [sellerDevice(ctx), LIVE_SEQUENCE - 1n, LIVE_SEQUENCE],
  },
  {
    fn: "submitReading",
    title: "a cumulative value below the previous reading",
    send: (ctx) => submitOne(ctx, "decreased"),
    error: "EscrowReadingDecreased",
    args: (ctx) => [id(ctx, "live"), 0, LIVE_WH, 3_000n],
  },
];

const submitReadingsCases: NegativeCase<Ctx>[] = [
  {
    fn: "submitReadings",
    title: "MAX_BATCH + 1 readings",
    send: (ctx) => submitMany(ctx, Array<Signed>(MAX_BATCH + 1).fill("next")),
    error: "EscrowBatchTooLarge",
    args: () => [MAX_BATCH + 1, MAX_BATCH],
  },
  {
    fn: "submitReadings",
    title: "two readings and one signature",
    send: (ctx) =>
      as(ctx, "stranger").submitReadings(
        [ctx.signed.next.reading, ctx.signed.userNext.reading],
        [ctx.signed.next.signature],
      ),
    error: "EscrowLengthMismatch",
    args: () => [2, 1],
  },
  {
    fn: "submitReadings",
    title: "a valid reading and its replay in one batch (the first is rolled back)",
    send: (ctx) => submitMany(ctx, ["next", "next"]),
    error: "EscrowReplayedReading",
    args: (ctx) => [sellerDevice(ctx), LIVE_SEQUENCE + 1n, LIVE_SEQUENCE + 1n],
  },
  {
    fn: "submitReadings",
    title: "valid readings of both sides, then one of a trade never created",
    send: (ctx) => submitMany(ctx, ["userNext", "next", "unknown"]),
    error: "EscrowUnknownTrade",
    args: () => [UNKNOWN],
  },
  {
    fn: "submitReadings",
    title: "a valid reading, then one for another chain",
    send: (ctx) => submitMany(ctx, ["next", "otherChain"]),
    error: "EscrowWrongChain",
    args: () => [CHAIN_ID, 1n],
  },
];

const notSettleable = (ctx: Ctx, name: "future" | "live") => {
  const t = ctx.trades[name].terms;
  return [id(ctx, name), before(t.deliveryEnd), t.deliveryEnd, t.settlementDeadline];
};

const settleCases: NegativeCase<Ctx>[] = [
  {
    fn: "settle",
    title: "a trade never created",
    send: (ctx) => as(ctx, "stranger").settle(UNKNOWN),
    error: "EscrowUnknownTrade",
    args: () => [UNKNOWN],
  },
  {
    fn: "settle",
    title: "trade id 0 (ids start at 1)",
    send: (ctx) => as(ctx, "stranger").settle(0n),
    error: "EscrowUnknownTrade",
    args: () => [0n],
  },
  {
    fn: "settle",
    title: "a trade already settled (replay)",
    send: (ctx) => as(ctx, "buyer").settle(id(ctx, "honest")),
    error: "EscrowAlreadySettled",
    args: (ctx) => [id(ctx, "honest")],
  },
  {
    fn: "settle",
    title: "before delivery",
    send: (ctx) => as(ctx, "stranger").settle(id(ctx, "future")),
    error: "EscrowNotSettleable",
    args: (ctx) => notSettleable(ctx, "future"),
  },
  {
    fn: "settle",
    title: "during delivery with one side reported",
    send: (ctx) => as(ctx, "seller").settle(id(ctx, "live")),
    error: "EscrowNotSettleable",
    args: (ctx) => notSettleable(ctx, "live"),
  },
  {
    fn: "settle",
    title: "a due trade with too little gas left for the reputation store's call",
    send: (ctx) => as(ctx, "stranger").settle(id(ctx, "overdue"), { gasLimit: ctx.starvedGas }),
    error: "EscrowInsufficientGas",
    args: () => [before(REPUTATION_CALL_NEEDS), REPUTATION_CALL_NEEDS],
  },
];

const settleBatchCases: NegativeCase<Ctx>[] = [
  {
    fn: "settleBatch",
    title: "MAX_BATCH + 1 ids",
    send: (ctx) => as(ctx, "stranger").settleBatch(Array(MAX_BATCH + 1).fill(id(ctx, "overdue"))),
    error: "EscrowBatchTooLarge",
    args: () => [MAX_BATCH + 1, MAX_BATCH],
  },
  {
    fn: "settleBatch",
    title: "a due trade, then one already settled (the first is rolled back)",
    send: (ctx) => as(ctx, "stranger").settleBatch([id(ctx, "overdue"), id(ctx, "honest")]),
    error: "EscrowAlreadySettled",
    args: (ctx) => [id(ctx, "honest")],
  },
  {
    fn: "settleBatch",
    title: "the same due trade twice",
    send: (ctx) => as(ctx, "stranger").settleBatch([id(ctx, "overdue"), id(ctx, "overdue")]),
    error: "EscrowAlreadySettled",
    args: (ctx) => [id(ctx, "overdue")],
  },
  {
    fn: "settleBatch",
    title: "a due trade, then one never created",
    send: (ctx) => as(ctx, "stranger").settleBatch([id(ctx, "overdue"), UNKNOWN]),
    error: "EscrowUnknownTrade",
    args: () => [UNKNOWN],
  },
  {
    fn: "settleBatch",
    title: "a trade before delivery",
    send: (ctx) => as(ctx, "stranger").settleBatch([id(ctx, "future")]),
    error: "EscrowNotSettleable",
    args: (ctx) => notSettleable(ctx, "future"),
  },
];

const claimRewardCases: NegativeCase<Ctx>[] = [
  ...([UNKNOWN, 0n] as const).map((tradeId) => ({
    fn: "claimReward",
    title: `trade id ${tradeId}, never created`,
    send: (ctx: Ctx) => as(ctx, "seller").claimReward(tradeId),
    error: "EscrowNothingToClaim",
    args: () => [tradeId, 0n, 0n],
  })),
  ...(["live", "overdue"] as const).map((name) => ({
    fn: "claimReward",
    title: `the ${name} trade, not settled`,
    send: (ctx: Ctx) => as(ctx, "seller").claimReward(id(ctx, name)),
    error: "EscrowNothingToClaim",
    args: (ctx: Ctx) => [id(ctx, name), 0n, 0n],
  })),
  {
    fn: "claimReward",
    title: "a reward owed while the pool is empty",
    send: (ctx) => as(ctx, "stranger").claimReward(id(ctx, "honest")),
    error: "EscrowNothingToClaim",
    args: (ctx) => [id(ctx, "honest"), REWARD, 0n],
  },
];

const claimFromWallet = (ctx: Ctx, vintage: bigint, to: string) =>
  ctx.viaWallet(
    ctx.escrow.target as string,
    ctx.escrow.interface.encodeFunctionData("claimCertificates", [vintage, to]),
  );

const claimCertificatesCases: NegativeCase<Ctx>[] = [
  {
    fn: "claimCertificates",
    title: "deferred certificates to the zero address",
    send: (ctx) => claimFromWallet(ctx, 7n, ZeroAddress),
    error: "EscrowInvalidAddress",
    args: () => [ZeroAddress],
  },
  {
    fn: "claimCertificates",
    title: "a vintage already claimed (replay)",
    send: (ctx) => claimFromWallet(ctx, 8n, ctx.walletOwner.address),
    error: "EscrowNoPendingCertificates",
    args: (ctx) => [ctx.W, 8n],
  },
  {
    fn: "claimCertificates",
    title: "a vintage the contract buyer never bought",
    send: (ctx) => claimFromWallet(ctx, 24n, ctx.walletOwner.address),
    error: "EscrowNoPendingCertificates",
    args: (ctx) => [ctx.W, 24n],
  },
  {
    fn: "claimCertificates",
    title: "by a buyer whose certificates were minted at settlement",
    send: (ctx) => as(ctx, "buyer").claimCertificates(24n, B(ctx)),
    error: "EscrowNoPendingCertificates",
    args: (ctx) => [B(ctx), 24n],
  },
  {
    fn: "claimCertificates",
    title: "by a stranger, the contract buyer's vintage",
    send: (ctx) => as(ctx, "stranger").claimCertificates(7n, ctx.stranger.address),
    error: "EscrowNoPendingCertificates",
    args: (ctx) => [ctx.stranger.address, 7n],
  },
];

const operatorCases: NegativeCase<Ctx>[] = [
  ...(["stranger", "market", "seller"] as const).map((who) =>
    unauthorized("setLossToleranceBps", who, ADMIN_ROLE, (ctx) => as(ctx, who).setLossToleranceBps(100)),
  ),
  ...([10_001, 65_535] as const).map((bps) => ({
    fn: "setLossToleranceBps",
    title: `${bps} basis points, above 100 %`,
    send: (ctx: Ctx) => as(ctx, "operator").setLossToleranceBps(bps),
    error: "EscrowInvalidLossTolerance",
    args: () => [bps, 10_000],
  })),
  ...(["stranger", "market", "otherMarket", "seller"] as const).map((who) =>
    unauthorized("setRewardPerTrade", who, ADMIN_ROLE, (ctx) => as(ctx, who).setRewardPerTrade(10n * GEUR)),
  ),
  ...(["stranger", "market", "seller", "buyer"] as const).map((who) =>
    unauthorized("setReputationStore", who, ADMIN_ROLE, (ctx) => as(ctx, who).setReputationStore(ZeroAddress)),
  ),
];

/** deposit, depositFor and fundRewards: every way the pull of tokens fails. */
function pullCases(fn: "deposit" | "depositFor" | "fundRewards"): NegativeCase<Ctx>[] {
  const call = (escrow: EnergyEscrow, ctx: Ctx, amount: bigint) =>
    fn === "depositFor" ? escrow.depositFor(B(ctx), amount) : escrow[fn](amount);
  const tokenOf = (ctx: Ctx) => ctx.token;
  return [
    { fn, title: "zero", send: (ctx) => call(as(ctx, "buyer"), ctx, 0n), error: "EscrowZeroAmount" },
    {
      fn,
      title: "without an allowance",
      send: (ctx) => call(as(ctx, "stranger"), ctx, GEUR),
      error: "ERC20InsufficientAllowance",
      args: (ctx) => [ctx.escrow.target, 0n, GEUR],
      declaredBy: tokenOf,
    },
    {
      fn,
      title: "an allowance without a balance",
      send: (ctx) => call(as(ctx, "walletOwner"), ctx, GEUR),
      error: "ERC20InsufficientBalance",
      args: (ctx) => [ctx.walletOwner.address, 0n, GEUR],
      declaredBy: tokenOf,
    },
    {
      fn,
      title: "a token whose transferFrom returns false",
      send: (ctx) => call(ctx.falseEscrow.connect(ctx.seller.signer), ctx, GEUR),
      error: "SafeERC20FailedOperation",
      args: (ctx) => [ctx.falseToken.target],
    },
    {
      fn,
      title: "a token that delivers nothing (100 % fee)",
      send: (ctx) => call(ctx.feeEscrow.connect(ctx.seller.signer), ctx, GEUR),
      error: "EscrowNothingReceived",
      args: () => [GEUR],
    },
  ];
}

const depositCases: NegativeCase<Ctx>[] = [
  ...pullCases("deposit"),
  {
    fn: "deposit",
    title: "one unit beyond the remaining allowance",
    send: (ctx) => as(ctx, "buyer").deposit(50n * GEUR + 1n),
    error: "ERC20InsufficientAllowance",
    args: (ctx) => [ctx.escrow.target, 50n * GEUR, 50n * GEUR + 1n],
    declaredBy: (ctx) => ctx.token,
  },
];

const depositForCases: NegativeCase<Ctx>[] = [
  ...pullCases("depositFor"),
  {
    fn: "depositFor",
    title: "for the zero address",
    send: (ctx) => as(ctx, "buyer").depositFor(ZeroAddress, GEUR),
    error: "EscrowInvalidAddress",
    args: () => [ZeroAddress],
  },
];

const withdrawCases: NegativeCase<Ctx>[] = [
  { fn: "withdraw", title: "zero", send: (ctx) => as(ctx, "buyer").withdraw(0n), error: "EscrowZeroAmount" },
  {
    fn: "withdraw",
    title: "by an account that never deposited",
    send: (ctx) => as(ctx, "stranger").withdraw(1n),
    error: "EscrowInsufficientFree",
    args: (ctx) => [ctx.stranger.address, 0n, 1n],
  },
  {
    fn: "withdraw",
    title: "one unit beyond the free balance",
    send: (ctx) => as(ctx, "buyer").withdraw(ctx.buyerFree + 1n),
    error: "EscrowInsufficientFree",
    args: (ctx) => [B(ctx), ctx.buyerFree, ctx.buyerFree + 1n],
  },
  {
    fn: "withdraw",
    title: "the free balance and the market's standing lock",
    send: (ctx) => as(ctx, "buyer").withdraw(ctx.buyerFree + STANDING_LOCK),
    error: "EscrowInsufficientFree",
    args: (ctx) => [B(ctx), ctx.buyerFree, ctx.buyerFree + STANDING_LOCK],
  },
  {
    fn: "withdraw",
    title: "a token whose transfer returns false (the debit is rolled back)",
    send: (ctx) => ctx.falseEscrow.connect(ctx.seller.signer).withdraw(GEUR),
    error: "SafeERC20FailedOperation",
    args: (ctx) => [ctx.falseToken.target],
  },
];

/** sweepSurplus has no failing path of its own: the reentrancy guard refuses it inside any other entry point. */
const sweepSurplusCases: NegativeCase<Ctx>[] = (
  [
    ["deposit", (e: EnergyEscrow, ctx: Ctx) => e.deposit(GEUR)],
    ["depositFor", (e: EnergyEscrow, ctx: Ctx) => e.depositFor(B(ctx), GEUR)],
    ["fundRewards", (e: EnergyEscrow) => e.fundRewards(GEUR)],
    ["withdraw", (e: EnergyEscrow) => e.withdraw(GEUR)],
  ] as const
).map(([entry, call]) => ({
  fn: "sweepSurplus",
  title: `reentered from the token's transfer during ${entry}`,
  send: (ctx: Ctx) => call(ctx.hookEscrow.connect(ctx.seller.signer), ctx),
  error: "ReentrancyGuardReentrantCall",
  declaredBy: (ctx: Ctx) => ctx.hookEscrow,
}));

const roleCases: NegativeCase<Ctx>[] = [
  ...(["stranger", "market", "seller", "buyer"] as const).map((who, i) =>
    unauthorized("grantRole", who, ADMIN_ROLE, (ctx) =>
      as(ctx, who).grantRole(i % 2 ? ADMIN_ROLE : MARKET_ROLE, signer(ctx, who).address),
    ),
  ),
  ...(["stranger", "market", "otherMarket", "seller"] as const).map((who, i) =>
    unauthorized("revokeRole", who, ADMIN_ROLE, (ctx) =>
      as(ctx, who).revokeRole(i % 2 ? ADMIN_ROLE : MARKET_ROLE, i % 2 ? ctx.operator.address : ctx.market.address),
    ),
  ),
  ...(
    [
      ["operator", MARKET_ROLE, "market"],
      ["market", ADMIN_ROLE, "operator"],
      ["otherMarket", MARKET_ROLE, "market"],
      ["stranger", ADMIN_ROLE, "operator"],
    ] as const
  ).map(([who, role, holder]) => ({
    fn: "renounceRole",
    title: `by the ${who} for the ${holder}`,
    send: (ctx: Ctx) => as(ctx, who).renounceRole(role, signer(ctx, holder).address),
    error: "AccessControlBadConfirmation",
  })),
];

const viewCases: NegativeCase<Ctx>[] = [
  {
    fn: "tradesPage",
    title: "a page of MAX_PAGE + 1",
    send: (ctx) => ctx.escrow.tradesPage(0, 101),
    error: "EscrowPageTooLarge",
    args: () => [101, 100],
  },
  {
    fn: "dueTrades",
    title: "a scan of MAX_SCAN + 1 ids",
    send: (ctx) => ctx.escrow.dueTrades(0, 501),
    error: "EscrowPageTooLarge",
    args: () => [501, 500],
  },
];

type EscrowArgs = { admin: string; registry: string; token: string; certificates: string; lossToleranceBps: number };
const deployEscrow = (ctx: Ctx, overrides: Partial<EscrowArgs>) => {
  const a: EscrowArgs = {
    admin: ctx.operator.address,
    registry: ctx.registry.target as string,
    token: ctx.token.target as string,
    certificates: ctx.certificates.target as string,
    lossToleranceBps: 500,
    ...overrides,
  };
  return hre.ethers.deployContract("EnergyEscrow", [
    a.admin,
    a.registry,
    a.token,
    a.certificates,
    { lossToleranceBps: a.lossToleranceBps, rewardPerTrade: REWARD },
  ]);
};

const constructorCases: NegativeCase<Ctx>[] = [
  ...(["admin", "registry", "token", "certificates"] as const).map((field) => ({
    fn: "constructor",
    title: `the zero address as ${field}`,
    send: (ctx: Ctx) => deployEscrow(ctx, { [field]: ZeroAddress }),
    error: "EscrowInvalidAddress",
    args: () => [ZeroAddress],
  })),
  {
    fn: "constructor",
    title: "a loss tolerance above 100 %",
    send: (ctx) => deployEscrow(ctx, { lossToleranceBps: 10_001 }),
    error: "EscrowInvalidLossTolerance",
    args: () => [10_001, 10_000],
  },
];

export const energyEscrowSuite: NegativeSuite<Ctx> = {
  contract: "EnergyEscrow",
  fixture: escrowFixture,
  target: (ctx) => ctx.escrow,
  // Named reads rather than viewDigest, whose product of accounts by markets and ids would cost hundreds of
  // calls: balances and trades (escrowDigest), per trade its settlement and readings, per meter its sequence,
  // the market locks, roles and parameters, and what the misbehaving tokens' escrows hold.
  digest: async (ctx) => {
    const e = ctx.escrow;
    const accounts = [ctx.operator, ctx.market, ctx.otherMarket, ctx.stranger, ctx.walletOwner, ctx.sellerPayee]
      .map((s) => s.address)
      .concat(S(ctx), B(ctx), ctx.W);
    const pending = [
      [ctx.W, 7n],
      [ctx.W, 8n],
      [B(ctx), 24n],
      [ctx.stranger.address, 7n],
    ] as const;
    const reads: ViewRead[] = [
      ...Object.values(ctx.trades).flatMap(({ tradeId }): ViewRead[] => [
        [e, "settlementOf", [tradeId]],
        [e, "readings", [tradeId]],
      ]),
      ...[ctx.seller.meter, ctx.buyer.meter, ctx.walletMeter].map((m): ViewRead => [e, "lastSequence", [m.address]]),
      ...pending.map((args): ViewRead => [e, "pendingCertificates", args]),
      ...[ctx.market, ctx.otherMarket].flatMap((m) =>
        [S(ctx), B(ctx)].map((a): ViewRead => [e, "lockedBy", [m.address, a]]),
      ),
      ...[ADMIN_ROLE, MARKET_ROLE].flatMap((role) =>
        (["operator", "market", "otherMarket", "stranger", "seller"] as const).map(
          (who): ViewRead => [e, "hasRole", [role, signer(ctx, who).address]],
        ),
      ),
      [e, "lossToleranceBps"],
      [e, "rewardPerTrade"],
      [e, "reputationStore"],
      ...[ctx.falseEscrow, ctx.feeEscrow, ctx.hookEscrow].flatMap((aux): ViewRead[] => [
        [aux, "totalFree"],
        [aux, "rewardPool"],
        [aux, "freeBalanceOf", [S(ctx)]],
      ]),
      [ctx.token, "balanceOf", [e.target]],
      [ctx.hookToken, "hookData"],
    ];
    return (await escrowDigest(e, accounts)) + (await readsDigest(reads));
  },
  cases: [
    ...lockCases,
    ...unlockCases,
    ...createTradeCases,
    ...submitReadingCases,
    ...submitReadingsCases,
    ...settleCases,
    ...settleBatchCases,
    ...claimRewardCases,
    ...claimCertificatesCases,
    ...operatorCases,
    ...depositCases,
    ...depositForCases,
    ...pullCases("fundRewards"),
    ...withdrawCases,
    ...sweepSurplusCases,
    ...roleCases,
    ...viewCases,
    ...constructorCases,
  ],
};
