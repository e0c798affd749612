import { readFileSync } from "node:fs";
import path from "node:path";
import type { NashMarket, NashParticipant, Order, Side } from "../../../src/core/auction";

/** A whole tick of 0.01 in 6-decimal token base units. */
export const CENT = 10_000n;

/** Price in base units from a number of cents (0.64 -> cents(64)). */
export const cents = (n: number): bigint => BigInt(n) * CENT;

export function order(
  id: string,
  side: Side,
  energyWh: number,
  quote: number,
  fields: { reservation?: number; seq?: number } = {},
): Order {
  return {
    id,
    side,
    energyWh: BigInt(energyWh),
    quote: BigInt(quote),
    reservation: BigInt(fields.reservation ?? quote),
    seq: fields.seq ?? 0,
  };
}

/** Orders with distinct seqs per side, in the given order. */
export function orders(list: ReadonlyArray<[string, Side, number, number, number?]>): Order[] {
  const seqs = { seller: 0, buyer: 0 };
  return list.map(([id, side, energyWh, quote, reservation]) =>
    order(id, side, energyWh, quote, { reservation: reservation ?? quote, seq: seqs[side]++ }),
  );
}

export function participant(
  id: string,
  side: Side,
  energyWh: number,
  reservation: bigint,
  seq: number,
): NashParticipant {
  return { id, side, energyWh: BigInt(energyWh), reservation, seq };
}

/** The SPEC's worked example as a Nash market: sellers E, F, G, H and 13 kWh of demand. */
export function workedExampleMarket(): NashMarket {
  return {
    tick: CENT,
    feedInTariff: cents(30),
    retailTariff: cents(100),
    participants: [
      participant("E", "seller", 12_000, cents(50), 0),
      participant("F", "seller", 13_000, cents(64), 1),
      participant("G", "seller", 1_000, cents(74), 2),
      participant("H", "seller", 3_000, cents(40), 3),
      participant("X", "buyer", 13_000, cents(100), 0),
    ],
  };
}

export function loadScenarioJson(name: string): unknown {
  const file = path.join(__dirname, "..", "..", "..", "scenarios", "auction", name);
  return JSON.parse(readFileSync(file, "utf8")) as unknown;
}
