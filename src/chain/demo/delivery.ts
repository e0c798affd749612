import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { EnergyEscrow } from "../../../typechain-types";
import { MAX_READINGS_PER_BATCH, SIDE_INDEX, type SignedReading } from "../../core/meter";
import type { TradeRecord } from "../../core/settlement";
import { encodeReading, signReading, type TypedDataSigner } from "../escrow";
import { simulateAndSend } from "../send";

/** What both meters of a trade measured: the provider's meter rho (sent), the user's meter gamma (received). */
export interface Delivery {
  readonly trade: TradeRecord;
  readonly providerWh: bigint;
  readonly userWh: bigint;
  readonly providerMeter: TypedDataSigner;
  readonly userMeter: TypedDataSigner;
}

/**
 * Each meter signs its reading of each trade (EIP-712, its own key; sequence numbers continue from the last
 * one the escrow accepted from that device), and the `escrow`'s runner relays them in batches of `batch`.
 * The escrow checks every signature against the party's registered device. Returns the readings relayed.
 */
export async function relayReadings(
  hre: HardhatRuntimeEnvironment,
  escrow: EnergyEscrow,
  deliveries: readonly Delivery[],
  batch = 50,
): Promise<number> {
  if (batch < 1 || batch > MAX_READINGS_PER_BATCH) throw new RangeError(`batch: 1..${MAX_READINGS_PER_BATCH}`);
  const escrowAddress = await escrow.getAddress();
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  const sequences = new Map<string, bigint>();
  const nextSequence = async (device: string): Promise<bigint> => {
    const last = sequences.get(device) ?? (await escrow.lastSequence(device));
    sequences.set(device, last + 1n);
    return last + 1n;
  };
  const signed: SignedReading[] = [];
  for (const d of deliveries) {
    for (const [side, meter, energyWh] of [
      [SIDE_INDEX.provider, d.providerMeter, d.providerWh],
      [SIDE_INDEX.user, d.userMeter, d.userWh],
    ] as const) {
      const sequence = await nextSequence(await meter.getAddress());
      signed.push(await signReading(meter, escrowAddress, { tradeId: d.trade.id, side, energyWh, sequence, chainId }));
    }
  }
  // Bound: ceil(readings / batch) transactions.
  for (let i = 0; i < signed.length; i += batch) {
    const part = signed.slice(i, i + batch);
    await simulateAndSend(
      hre,
      escrow,
      "submitReadings",
      [part.map((r) => encodeReading(r.reading)), part.map((r) => r.signature)],
      { label: `submit readings ${i + 1}..${i + part.length}` },
    );
  }
  return signed.length;
}

/** Settles the trades with settleBatch, `batch` trades a transaction (the escrow allows up to MAX_BATCH). */
export async function settleTrades(
  hre: HardhatRuntimeEnvironment,
  escrow: EnergyEscrow,
  ids: readonly bigint[],
  batch = 25,
): Promise<void> {
  // Bound: ceil(ids / batch) transactions.
  for (let i = 0; i < ids.length; i += batch) {
    const part = ids.slice(i, i + batch);
    await simulateAndSend(hre, escrow, "settleBatch", [part], { label: `settle trades ${part.join(", ")}` });
  }
}
