import hre from "hardhat";
import { expect } from "chai";
import { Wallet, id, keccak256, toUtf8Bytes, type Signer } from "ethers";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { EnergyEscrow, GreenCertificate, ParticipantRegistry, SettlementToken } from "../../typechain-types";
import type { IMarketEscrow } from "../../typechain-types/contracts/EnergyEscrow";
import { deployGreenGrid } from "../../deploy/deployGreenGrid";
import { encodeRegistration } from "../../src/chain/registry";
import { signReading } from "../../src/chain/escrow";
import { costUp } from "../../src/core/units";
import type { EnergySource } from "../../src/core/registry";
import { SIDE_INDEX, type MeterSide } from "../../src/core/meter";

export const MARKET_ROLE = id("MARKET_ROLE");
export const MINTER_ROLE = id("MINTER_ROLE");
export const DEFAULT_ADMIN_ROLE = "0x" + "0".repeat(64);

/** Operator parameters of the fixtures: tau = 5 % of R, Token = 1 gEUR. */
export const LOSS_TOLERANCE_BPS = 500n;
export const REWARD = 1_000_000n;
export const GEUR = 1_000_000n;

/** The standard trade: 10 kWh at 0.64 gEUR/kWh, margins 2 and 1 gEUR. */
export const R = 10_000n;
export const PRICE = 640_000n;
export const SELLER_MARGIN = 2_000_000n;
export const BUYER_MARGIN = 1_000_000n;
export const PREPAYMENT = costUp(R, PRICE); // 6_400_000

/** Meter device keys: fixed, so runs are reproducible. */
export function meterWallet(label: string): Wallet {
  return new Wallet(keccak256(toUtf8Bytes(`greengrid meter ${label}`)));
}

export interface Party {
  readonly signer: HardhatEthersSigner;
  readonly meter: Wallet;
  /** Where settlement credits its payouts. */
  readonly payee: string;
}

export async function registerParty(
  registry: ParticipantRegistry,
  regulator: Signer,
  signer: HardhatEthersSigner,
  meter: Wallet,
  {
    source = "Solar",
    payee = signer.address,
    name = "Prosumer",
  }: { source?: EnergySource; payee?: string; name?: string } = {},
): Promise<Party> {
  await registry.connect(signer).register(
    encodeRegistration({
      displayName: name,
      meterId: `MTR-${signer.address.slice(2, 12)}`,
      meterDevice: meter.address,
      region: 1,
      voltageLevel: 1,
      source,
      capacityW: 10_000n,
      batteryWh: 0n,
      settlementAccount: payee,
    }),
  );
  await registry.connect(regulator).approve(signer.address);
  return { signer, meter, payee };
}

/** Registry, token, escrow and certificates through the Ignition module; the operator also regulates. */
export async function deployEscrowFixture() {
  const [operator, market, sellerSigner, buyerSigner, sellerPayee, stranger, otherMarket, fossilSigner] =
    await hre.ethers.getSigners();
  const deployed = await deployGreenGrid(hre, {
    Escrow: { lossToleranceBps: Number(LOSS_TOLERANCE_BPS), rewardPerTrade: Number(REWARD) },
  });
  const registry = deployed.registry as unknown as ParticipantRegistry;
  const token = deployed.token as unknown as SettlementToken;
  const escrow = deployed.escrow as unknown as EnergyEscrow;
  const certificates = deployed.certificates as unknown as GreenCertificate;
  await escrow.connect(operator).grantRole(MARKET_ROLE, market.address);
  await escrow.connect(operator).grantRole(MARKET_ROLE, otherMarket.address);
  return {
    registry,
    token,
    escrow,
    certificates,
    operator,
    market,
    otherMarket,
    sellerSigner,
    buyerSigner,
    sellerPayee,
    stranger,
    fossilSigner,
  };
}

/** Two approved prosumers with money in the escrow: a green seller paid to a separate account, and a buyer. */
export async function partiesFixture() {
  const base = await deployEscrowFixture();
  const { registry, token, escrow, operator, sellerSigner, buyerSigner, sellerPayee } = base;
  const seller = await registerParty(registry, operator, sellerSigner, meterWallet("seller"), {
    source: "Solar",
    payee: sellerPayee.address,
    name: "Seller E",
  });
  const buyer = await registerParty(registry, operator, buyerSigner, meterWallet("buyer"), {
    source: "None",
    name: "Buyer X",
  });
  for (const party of [seller, buyer]) {
    await token.connect(operator).mint(party.signer.address, 100n * GEUR);
    await token.connect(party.signer).approve(await escrow.getAddress(), 100n * GEUR);
    await escrow.connect(party.signer).deposit(50n * GEUR);
  }
  await token.connect(operator).mint(operator.address, 1_000n * GEUR);
  await token.connect(operator).approve(await escrow.getAddress(), 1_000n * GEUR);
  return { ...base, seller, buyer };
}

export interface TradeOptions {
  energyWh?: bigint;
  pricePerKwh?: bigint;
  sellerMargin?: bigint;
  buyerMargin?: bigint;
  period?: bigint;
  /** Seconds from now. */
  startIn?: number;
  duration?: number;
  grace?: number;
}

export function tradeTerms(
  seller: string,
  buyer: string,
  now: number,
  o: TradeOptions = {},
): IMarketEscrow.TradeTermsStruct & { deliveryStart: bigint; deliveryEnd: bigint; settlementDeadline: bigint } {
  const deliveryStart = BigInt(now + (o.startIn ?? 100));
  const deliveryEnd = deliveryStart + BigInt(o.duration ?? 3600);
  const settlementDeadline = deliveryEnd + BigInt(o.grace ?? 3600);
  return {
    seller,
    buyer,
    period: o.period ?? 24n,
    energyWh: o.energyWh ?? R,
    pricePerKwh: o.pricePerKwh ?? PRICE,
    deliveryStart,
    deliveryEnd,
    settlementDeadline,
    // what a market locks for the buyer: the cost rounded up, so it covers any payment
    prepayment: costUp(o.energyWh ?? R, o.pricePerKwh ?? PRICE),
    sellerMargin: o.sellerMargin ?? SELLER_MARGIN,
    buyerMargin: o.buyerMargin ?? BUYER_MARGIN,
  };
}

/** What a market does on confirmation: lock both parties' margins and the buyer's prepayment, then record. */
export async function openTrade(
  escrow: EnergyEscrow,
  market: HardhatEthersSigner,
  seller: string,
  buyer: string,
  o: TradeOptions = {},
) {
  const terms = tradeTerms(seller, buyer, await time.latest(), o);
  const prepayment = costUp(BigInt(terms.energyWh), BigInt(terms.pricePerKwh));
  if (BigInt(terms.sellerMargin) > 0n) await escrow.connect(market).lock(seller, terms.sellerMargin);
  await escrow.connect(market).lock(buyer, BigInt(terms.buyerMargin) + prepayment);
  const tradeId = await escrow.connect(market).createTrade.staticCall(terms);
  await escrow.connect(market).createTrade(terms);
  return { tradeId, terms, prepayment };
}

/** A standard trade between the fixture's seller and buyer, opened by the market. */
export async function openTradeFixture() {
  const base = await partiesFixture();
  await base.escrow.connect(base.operator).fundRewards(10n * GEUR);
  const trade = await openTrade(base.escrow, base.market, base.seller.signer.address, base.buyer.signer.address);
  return { ...base, ...trade };
}

export async function signedReading(
  escrow: EnergyEscrow,
  meter: Wallet,
  tradeId: bigint,
  side: MeterSide,
  energyWh: bigint,
  sequence: bigint,
  chainId?: bigint,
) {
  const chain = chainId ?? (await hre.ethers.provider.getNetwork()).chainId;
  return signReading(meter, await escrow.getAddress(), {
    tradeId,
    side: SIDE_INDEX[side],
    energyWh,
    sequence,
    chainId: chain,
  });
}

export async function submit(
  escrow: EnergyEscrow,
  meter: Wallet,
  tradeId: bigint,
  side: MeterSide,
  energyWh: bigint,
  sequence: bigint,
  relayer?: Signer,
) {
  const s = await signedReading(escrow, meter, tradeId, side, energyWh, sequence);
  const e = relayer ? escrow.connect(relayer) : escrow;
  return e.submitReading(s.reading, s.signature);
}

/** token.balanceOf(escrow) == totalFree + totalLocked + rewardPool. */
export async function expectSolvent(escrow: EnergyEscrow, token: { balanceOf(a: string): Promise<bigint> }) {
  const [held, free, locked, pool] = await Promise.all([
    token.balanceOf(await escrow.getAddress()),
    escrow.totalFree(),
    escrow.totalLocked(),
    escrow.rewardPool(),
  ]);
  expect(held, "token balance == free + locked + pool").to.equal(free + locked + pool);
}
