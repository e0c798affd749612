import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { getAddress, verifyTypedData, type ContractRunner, type TypedDataField } from "ethers";
import type { EnergyEscrow, GreenCertificate, IERC20Metadata, SettlementToken } from "../../typechain-types";
import type { IEnergyEscrow } from "../../typechain-types/contracts/EnergyEscrow";
import { TRADE_STATUSES, type SettlementRecord, type SideReadingRecord, type TradeRecord } from "../core/settlement";
import { METER_READING_TYPES, SIDE_INDEX, meterDomain, type MeterReading, type SignedReading } from "../core/meter";
import { deployedAddress } from "./deployments";

/** Contract handles from the deployment record of the current chain. */
export async function escrowAt(hre: HardhatRuntimeEnvironment, runner?: ContractRunner): Promise<EnergyEscrow> {
  const contract = await hre.ethers.getContractAt("EnergyEscrow", await deployedAddress(hre, "escrow"));
  return (runner ? contract.connect(runner) : contract) as EnergyEscrow;
}

/** The settlement token as a plain ERC-20 (in production any stablecoin). */
export async function tokenAt(hre: HardhatRuntimeEnvironment, runner?: ContractRunner): Promise<IERC20Metadata> {
  const contract = await hre.ethers.getContractAt("IERC20Metadata", await deployedAddress(hre, "token"));
  return (runner ? contract.connect(runner) : contract) as IERC20Metadata;
}

/** The test token with its mint function (local chains only: production tokens are not ours to mint). */
export async function testTokenAt(hre: HardhatRuntimeEnvironment, runner?: ContractRunner): Promise<SettlementToken> {
  const contract = await hre.ethers.getContractAt("SettlementToken", await deployedAddress(hre, "token"));
  return (runner ? contract.connect(runner) : contract) as SettlementToken;
}

export async function certificatesAt(
  hre: HardhatRuntimeEnvironment,
  runner?: ContractRunner,
): Promise<GreenCertificate> {
  const contract = await hre.ethers.getContractAt("GreenCertificate", await deployedAddress(hre, "certificates"));
  return (runner ? contract.connect(runner) : contract) as GreenCertificate;
}

/**
 * Local development chains: the test token may be minted by tasks and the demo may move time. 31337: the
 * embedded network, a Hardhat node or a default anvil; 1337: Ganache and geth --dev; 31338: the `anvil`
 * network (anvil --chain-id 31338); 31339: the anvil the integration test starts, so that its deployment
 * record never touches a developer's.
 */
export const LOCAL_CHAIN_IDS: readonly bigint[] = [31337n, 1337n, 31338n, 31339n];

// ---------------------------------------------------------------------------- reading state into core types

type TradeStruct = Awaited<ReturnType<EnergyEscrow["trade"]>>;

export function toTradeRecord(id: bigint, t: TradeStruct): TradeRecord {
  return {
    id,
    status: TRADE_STATUSES[Number(t.status)],
    market: t.market,
    seller: t.seller,
    buyer: t.buyer,
    period: t.period,
    energyWh: t.energyWh,
    pricePerKwh: t.pricePerKwh,
    deliveryStart: t.deliveryStart,
    deliveryEnd: t.deliveryEnd,
    settlementDeadline: t.settlementDeadline,
    sellerMargin: t.sellerMargin,
    buyerMargin: t.buyerMargin,
    prepayment: t.prepayment,
    lossToleranceBps: t.lossToleranceBps,
    reward: t.reward,
  };
}

export async function readTrade(escrow: EnergyEscrow, id: bigint): Promise<TradeRecord> {
  return toTradeRecord(id, await escrow.trade(id));
}

export interface TradeReadings {
  readonly provider: SideReadingRecord | null;
  readonly user: SideReadingRecord | null;
}

export async function readReadings(escrow: EnergyEscrow, id: bigint): Promise<TradeReadings> {
  const [provider, user] = await escrow.readings(id);
  const side = (r: typeof provider): SideReadingRecord | null =>
    r.reported ? { energyWh: r.energyWh, sequence: r.sequence, submittedAt: r.submittedAt } : null;
  return { provider: side(provider), user: side(user) };
}

/**
 * Whether this escrow on this chain already holds exactly this reading as the latest of its trade's side: a
 * relay that went through before (a re-run after a crash), so sending it again would only be refused as a replay.
 */
export async function isReadingRecorded(
  escrow: EnergyEscrow,
  chainId: bigint,
  signed: SignedReading,
): Promise<boolean> {
  const { reading } = signed;
  if (getAddress(signed.escrow) !== (await escrow.getAddress()) || reading.chainId !== chainId) return false;
  const recorded = await readReadings(escrow, reading.tradeId);
  const side = reading.side === SIDE_INDEX.provider ? recorded.provider : recorded.user;
  return side !== null && side.sequence === reading.sequence && side.energyWh === reading.energyWh;
}

/** The settlement of a settled trade, or null while it is open. */
export async function readSettlement(escrow: EnergyEscrow, id: bigint): Promise<SettlementRecord | null> {
  const s = await escrow.settlementOf(id);
  if (s.settledAt === 0n) return null;
  return {
    providerWh: s.providerWh,
    userWh: s.userWh,
    settledAt: s.settledAt,
    providerDefaulted: s.providerDefaulted,
    userDefaulted: s.userDefaulted,
    sellerPayment: s.sellerPayment,
    buyerRefund: s.buyerRefund,
    rewardPaid: s.rewardPaid,
    rewardUnpaid: s.rewardUnpaid,
  };
}

/** Trades with ids offset+1 .. offset+limit, page by page (each page bounded by the contract's MAX_PAGE). */
export async function listTrades(
  escrow: EnergyEscrow,
  { offset = 0n, limit = 100n }: { offset?: bigint; limit?: bigint } = {},
): Promise<TradeRecord[]> {
  const maxPage = await escrow.MAX_PAGE();
  const total = await escrow.tradeCount();
  const end = offset + limit < total ? offset + limit : total;
  const trades: TradeRecord[] = [];
  // Bound: (end - offset) / MAX_PAGE calls.
  for (let start = offset; start < end; start += maxPage) {
    const size = end - start < maxPage ? end - start : maxPage;
    const page = await escrow.tradesPage(start, size);
    page.forEach((t, i) => trades.push(toTradeRecord(start + BigInt(i) + 1n, t)));
  }
  return trades;
}

/** Every open trade past its settlement deadline, scanning all ids in windows of the contract's MAX_SCAN. */
export async function findDueTrades(escrow: EnergyEscrow): Promise<bigint[]> {
  const window = await escrow.MAX_SCAN();
  const total = await escrow.tradeCount();
  const due: bigint[] = [];
  // Bound: tradeCount / MAX_SCAN calls.
  for (let offset = 0n; offset < total; offset += window) {
    due.push(...(await escrow.dueTrades(offset, window)));
  }
  return due;
}

export interface EscrowBalance {
  readonly account: string;
  readonly free: bigint;
  readonly locked: bigint;
}

export async function readBalance(escrow: EnergyEscrow, account: string): Promise<EscrowBalance> {
  const [free, locked] = await Promise.all([escrow.freeBalanceOf(account), escrow.lockedBalanceOf(account)]);
  return { account, free, locked };
}

export interface EscrowTotals {
  readonly tokenBalance: bigint;
  readonly totalFree: bigint;
  readonly totalLocked: bigint;
  readonly rewardPool: bigint;
}

/** The figures of the escrow's solvency invariant: tokenBalance == totalFree + totalLocked + rewardPool. */
export async function readTotals(escrow: EnergyEscrow, token: IERC20Metadata): Promise<EscrowTotals> {
  const [tokenBalance, totalFree, totalLocked, rewardPool] = await Promise.all([
    token.balanceOf(await escrow.getAddress()),
    escrow.totalFree(),
    escrow.totalLocked(),
    escrow.rewardPool(),
  ]);
  return { tokenBalance, totalFree, totalLocked, rewardPool };
}

// ---------------------------------------------------------------------------- meter readings

/** The minimal signer a meter needs: an ethers Wallet, a Hardhat signer or any other AbstractSigner. */
export interface TypedDataSigner {
  getAddress(): Promise<string>;
  signTypedData(
    domain: { name: string; version: string; chainId: bigint; verifyingContract: string },
    types: Record<string, TypedDataField[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

const TYPES: Record<string, TypedDataField[]> = {
  MeterReading: METER_READING_TYPES.MeterReading.map((f) => ({ ...f })),
};

/** The reading as the contract's MeterReading struct takes it. */
export function encodeReading(reading: MeterReading): IEnergyEscrow.MeterReadingStruct {
  return { ...reading };
}

/** Signs `reading` with the meter device's key for the escrow at `escrowAddress` (EIP-712 signTypedData). */
export async function signReading(
  signer: TypedDataSigner,
  escrowAddress: string,
  reading: MeterReading,
): Promise<SignedReading> {
  const signature = await signer.signTypedData({ ...meterDomain(reading.chainId, escrowAddress) }, TYPES, {
    ...reading,
  });
  return { escrow: getAddress(escrowAddress), signer: await signer.getAddress(), reading, signature };
}

/** The address whose key produced `signature` over `reading` for the escrow at `escrowAddress` on `chainId`. */
export function recoverReadingSigner(
  escrowAddress: string,
  chainId: bigint,
  reading: MeterReading,
  signature: string,
): string {
  return verifyTypedData({ ...meterDomain(chainId, escrowAddress) }, TYPES, { ...reading }, signature);
}

export interface EscrowContext {
  readonly escrow: EnergyEscrow;
  readonly token: IERC20Metadata;
  readonly decimals: number;
  readonly symbol: string;
  readonly chainId: bigint;
}

/** The escrow, its token and how to write the token's amounts, for tasks. */
export async function escrowContext(hre: HardhatRuntimeEnvironment, runner?: ContractRunner): Promise<EscrowContext> {
  const [escrow, token, network] = await Promise.all([
    escrowAt(hre, runner),
    tokenAt(hre, runner),
    hre.ethers.provider.getNetwork(),
  ]);
  const decimals = Number(await token.decimals());
  // Some old tokens have no symbol() (or a bytes32 one): fall back to a neutral word.
  const symbol = await token.symbol().catch(() => "token units");
  return { escrow, token, decimals, symbol, chainId: network.chainId };
}
