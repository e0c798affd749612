/**
 * Gas of the EnergyEscrow's trade life cycle, through its public entry points: a market account
 * (MARKET_ROLE, granted by the deployer as the escrow's admin) locks and creates trades between
 * registered prosumers; meter devices sign EIP-712 readings (src/chain/escrow signReading); a relayer
 * submits them one by one and in batches; trades are settled one by one and in a batch. Every
 * trade is honest (both meters report the agreed energy) and the reward pool is funded, so each
 * settlement pays the seller, refunds the buyer, pays the honesty reward, mints green certificates
 * and reports the delivery to the reputation store, as in production.
 */
import type { Wallet } from "ethers";
import { encodeReading, signReading } from "../../src/chain/escrow";
import { SIDE_INDEX, type MeterSide } from "../../src/core/meter";
import { costUp } from "../../src/core/units";
import { deterministicWallets, encode, type BenchChain, type Call } from "./chain";
import { TX_GAS_CAP, gasOf } from "./auctionGas";
import { GEUR, enrol, type Market } from "./market";

/** The standard trade of test/helpers/escrowFixtures: 10 kWh at 0.64 gEUR/kWh, margins 2 and 1 gEUR. */
const ENERGY_WH = 10_000n;
const PRICE = 640_000n;
const SELLER_MARGIN = 2n * GEUR;
const BUYER_MARGIN = GEUR;
/** One single trade plus a batch of BATCH trades. */
export const BATCH = 10;
/**
 * The escrow benchmark moves the chain clock to this fixed time first, so every schedule in the
 * calldata (createTrade) is the same from run to run and gas does not depend on the wall clock.
 */
const EPOCH = 2_000_000_000;
const DELIVERY_START = EPOCH + 1_000;
const DELIVERY_END = DELIVERY_START + 3_600;
const SETTLEMENT_DEADLINE = DELIVERY_END + 3_600;

const GAS = { role: 200_000n, lock: 200_000n, create: 1_000_000n, reading: 500_000n, settle: 3_000_000n } as const;

export interface EscrowRun {
  readonly lockGas: readonly number[];
  readonly createTradeGas: readonly number[];
  /** The single trade's two readings (provider, user), each in its own transaction. */
  readonly submitReadingGas: readonly number[];
  /** Gas of each submitReadings batch of BATCH readings. */
  readonly readingBatchGas: readonly number[];
  readonly settleGas: number;
  readonly settleBatchGas: number;
  readonly batchTrades: number;
}

export async function runEscrow(chain: BenchChain, market: Market): Promise<EscrowRun> {
  if ((await chain.latestTimestamp()) >= EPOCH) throw new Error("the chain clock is already past the escrow epoch");
  await chain.mineAt(EPOCH);
  const { escrow, token, addresses, deployer } = market;
  const trades = BATCH + 1;
  const sellerMeters = deterministicWallets("escrow seller meter", trades);
  const buyerMeters = deterministicWallets("escrow buyer meter", trades);
  const sellers = await enrol(chain, market, "escrow seller", trades, {
    depositEach: 100n * GEUR,
    source: "Solar",
    meterDevice: (k) => sellerMeters[k].address,
  });
  const buyers = await enrol(chain, market, "escrow buyer", trades, {
    depositEach: 100n * GEUR,
    source: "None",
    meterDevice: (k) => buyerMeters[k].address,
  });
  const [marketAccount, relayer] = deterministicWallets("escrow market", 2);
  await chain.fund([marketAccount.address, relayer.address]);
  const rewards = 100n * GEUR;
  await chain.bulk([
    {
      from: deployer,
      to: addresses.escrow,
      gasLimit: GAS.role,
      label: "grant MARKET_ROLE",
      data: encode(escrow, "grantRole", [await escrow.MARKET_ROLE(), marketAccount.address]),
    },
    {
      from: deployer,
      to: addresses.token,
      gasLimit: GAS.role,
      label: "mint",
      data: encode(token, "mint", [deployer, rewards]),
    },
    {
      from: deployer,
      to: addresses.token,
      gasLimit: GAS.role,
      label: "approve",
      data: encode(token, "approve", [addresses.escrow, rewards]),
    },
    {
      from: deployer,
      to: addresses.escrow,
      gasLimit: GAS.role,
      label: "fundRewards",
      data: encode(escrow, "fundRewards", [rewards]),
    },
  ]);

  // The market's side of a trade: lock the seller's margin, the buyer's margin and prepayment, create.
  const prepayment = costUp(ENERGY_WH, PRICE);
  const lockGas: number[] = [];
  const createTradeGas: number[] = [];
  const firstTradeId = (await escrow.tradeCount()) + 1n;
  for (let k = 0; k < trades; k++) {
    const call = (label: string, data: string, gasLimit: bigint): Call => ({
      from: marketAccount,
      to: addresses.escrow,
      gasLimit,
      label,
      data,
    });
    const [lockSeller, lockBuyer] = await chain.bulk([
      call("lock seller", encode(escrow, "lock", [sellers[k].address, SELLER_MARGIN]), GAS.lock),
      call("lock buyer", encode(escrow, "lock", [buyers[k].address, BUYER_MARGIN + prepayment]), GAS.lock),
    ]);
    lockGas.push(gasOf(lockSeller), gasOf(lockBuyer));
    const created = await chain.send(
      call(
        `createTrade #${k}`,
        encode(escrow, "createTrade", [
          {
            seller: sellers[k].address,
            buyer: buyers[k].address,
            period: 1n,
            energyWh: ENERGY_WH,
            pricePerKwh: PRICE,
            deliveryStart: DELIVERY_START,
            deliveryEnd: DELIVERY_END,
            settlementDeadline: SETTLEMENT_DEADLINE,
            prepayment,
            sellerMargin: SELLER_MARGIN,
            buyerMargin: BUYER_MARGIN,
          },
        ]),
        GAS.create,
      ),
    );
    createTradeGas.push(gasOf(created));
  }

  // Delivery: every meter reports the agreed energy once (sequence 1 on each device).
  await chain.mineAt(DELIVERY_START);
  const chainId = BigInt(await chain.hre.network.provider.send("eth_chainId"));
  const signed = async (meter: Wallet, k: number, side: MeterSide) =>
    signReading(meter, addresses.escrow, {
      tradeId: firstTradeId + BigInt(k),
      side: SIDE_INDEX[side],
      energyWh: ENERGY_WH,
      sequence: 1n,
      chainId,
    });
  const single = [await signed(sellerMeters[0], 0, "provider"), await signed(buyerMeters[0], 0, "user")];
  const submitReadingGas: number[] = [];
  for (const s of single) {
    const receipt = await chain.send({
      from: relayer,
      to: addresses.escrow,
      gasLimit: GAS.reading,
      label: "submitReading",
      data: encode(escrow, "submitReading", [encodeReading(s.reading), s.signature]),
    });
    submitReadingGas.push(gasOf(receipt));
  }
  const batchIndices = Array.from({ length: BATCH }, (_, i) => i + 1);
  const readingBatchGas: number[] = [];
  for (const side of ["provider", "user"] as const) {
    const meters = side === "provider" ? sellerMeters : buyerMeters;
    const batch = await Promise.all(batchIndices.map((k) => signed(meters[k], k, side)));
    const receipt = await chain.send({
      from: relayer,
      to: addresses.escrow,
      gasLimit: BigInt(TX_GAS_CAP),
      label: `submitReadings (${side})`,
      data: encode(escrow, "submitReadings", [
        batch.map((s) => encodeReading(s.reading)),
        batch.map((s) => s.signature),
      ]),
    });
    readingBatchGas.push(gasOf(receipt));
  }

  // Settlement after delivery: one trade alone, then the batch in one transaction.
  await chain.mineAt(DELIVERY_END);
  const settled = await chain.send({
    from: relayer,
    to: addresses.escrow,
    gasLimit: GAS.settle,
    label: "settle",
    data: encode(escrow, "settle", [firstTradeId]),
  });
  const settledBatch = await chain.send({
    from: relayer,
    to: addresses.escrow,
    gasLimit: BigInt(TX_GAS_CAP),
    label: "settleBatch",
    data: encode(escrow, "settleBatch", [batchIndices.map((k) => firstTradeId + BigInt(k))]),
  });
  const status = await Promise.all(batchIndices.map((k) => escrow.trade(firstTradeId + BigInt(k))));
  if (status.some((t) => t.status !== 2n)) throw new Error("settleBatch left a trade unsettled");
  return {
    lockGas,
    createTradeGas,
    submitReadingGas,
    readingBatchGas,
    settleGas: gasOf(settled),
    settleBatchGas: gasOf(settledBatch),
    batchTrades: BATCH,
  };
}
