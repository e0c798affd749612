/**
 * Auction scenarios: a JSON value (already parsed; no file access here) with human decimals,
 * validated and converted exactly to integers: energy in Wh, prices in token base units per
 * kWh (src/core/units.ts), whole ticks only. Running and formatting live in scenarioRun.ts and
 * scenarioFormat.ts.
 *
 *   {"tick":0.01,"feedInTariff":0.30,"retailTariff":1.00,"batteryCapacityKwh":50,
 *    "sellers":[{"id":"E","kwh":12,"minPrice":0.50,"soc":0.86}, ...],
 *    "buyers":[{"id":"X","kwh":13,"maxPrice":1.00,"soc":0.50}, ...]}
 *
 * A participant may carry its own "batteryCapacityKwh" (0 = no battery); otherwise the
 * scenario's applies. An optional top-level "description" string documents the scenario.
 * A participant's seq is its position in its list: the list order is the arrival order.
 */
import { socToStoredWh } from "./battery";
import { scaleExactly } from "../decimal";
import type { NashMarket, Side } from "./types";
import { TOKEN_DECIMALS } from "../units";

/** A scenario that cannot be used; `field` is the JSON path of the culprit, e.g. "sellers[2].kwh". */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
  constructor(readonly field: string, problem: string) {
    super(`${field}: ${problem}`);
  }
}

export interface ScenarioParticipant {
  readonly id: string;
  readonly side: Side;
  readonly seq: number;
  readonly energyWh: bigint;
  /** minPrice of a seller, maxPrice of a buyer, base units per kWh. */
  readonly reservation: bigint;
  readonly capacityWh: bigint;
  readonly storedWh: bigint;
  /** The state of charge as given, for display. */
  readonly soc: number;
}

export interface Scenario {
  readonly description: string;
  /** Base units per kWh. */
  readonly tick: bigint;
  readonly feedInTariff: bigint;
  readonly retailTariff: bigint;
  /** Decimals that show a whole tick exactly (2 for a tick of 0.01). */
  readonly priceDecimals: number;
  /** Sellers first, then buyers, each in file order. */
  readonly participants: readonly ScenarioParticipant[];
}

const TOP_LEVEL_FIELDS = [
  "description",
  "tick",
  "feedInTariff",
  "retailTariff",
  "batteryCapacityKwh",
  "sellers",
  "buyers",
];
const WH_DECIMALS = 3;

export function parseScenario(value: unknown): Scenario {
  const root = asObject(value, "scenario");
  rejectUnknownFields(root, TOP_LEVEL_FIELDS, "scenario");
  const description = root.description === undefined ? "" : asString(root.description, "description");
  const tick = price(root.tick, "tick");
  if (tick <= 0n) throw new ScenarioError("tick", "must be positive");
  const feedInTariff = wholeTicks(price(root.feedInTariff, "feedInTariff"), tick, "feedInTariff");
  const retailTariff = wholeTicks(price(root.retailTariff, "retailTariff"), tick, "retailTariff");
  if (feedInTariff >= retailTariff) {
    throw new ScenarioError("retailTariff", `must be above the feed-in tariff ${root.feedInTariff}`);
  }
  const defaultCapacityWh =
    root.batteryCapacityKwh === undefined ? null : energyWh(root.batteryCapacityKwh, "batteryCapacityKwh", true);
  const context = { tick, feedInTariff, retailTariff, defaultCapacityWh, ids: new Set<string>() };
  const participants = [...parseSide(root.sellers, "seller", context), ...parseSide(root.buyers, "buyer", context)];
  return { description, tick, feedInTariff, retailTariff, priceDecimals: decimalsOf(tick), participants };
}

/** The Nash engine's view of a scenario. */
export function scenarioMarket(scenario: Scenario): NashMarket {
  return {
    tick: scenario.tick,
    feedInTariff: scenario.feedInTariff,
    retailTariff: scenario.retailTariff,
    participants: scenario.participants.map(({ id, side, energyWh, reservation, seq }) => ({
      id,
      side,
      energyWh,
      reservation,
      seq,
    })),
  };
}

interface SideContext {
  readonly tick: bigint;
  readonly feedInTariff: bigint;
  readonly retailTariff: bigint;
  readonly defaultCapacityWh: bigint | null;
  readonly ids: Set<string>;
}

function parseSide(value: unknown, side: Side, context: SideContext): ScenarioParticipant[] {
  const list = side === "seller" ? "sellers" : "buyers";
  if (value === undefined) throw new ScenarioError(list, "is missing");
  if (!Array.isArray(value)) throw new ScenarioError(list, "must be a list");
  if (value.length === 0) throw new ScenarioError(list, `must name at least one ${side}`);
  const priceField = side === "seller" ? "minPrice" : "maxPrice";
  return value.map((item: unknown, seq) => {
    const path = `${list}[${seq}]`;
    const entry = asObject(item, path);
    rejectUnknownFields(entry, ["id", "kwh", priceField, "soc", "batteryCapacityKwh"], path);
    const id = asString(entry.id, `${path}.id`);
    if (id.length === 0) throw new ScenarioError(`${path}.id`, "must not be empty");
    if (context.ids.has(id)) throw new ScenarioError(`${path}.id`, `"${id}" is used twice`);
    context.ids.add(id);
    const wh = energyWh(entry.kwh, `${path}.kwh`, false);
    const reservation = wholeTicks(
      price(entry[priceField], `${path}.${priceField}`),
      context.tick,
      `${path}.${priceField}`,
    );
    if (reservation < context.feedInTariff || reservation > context.retailTariff) {
      throw new ScenarioError(`${path}.${priceField}`, "must lie between the feed-in and the retail tariff");
    }
    const capacityWh =
      entry.batteryCapacityKwh !== undefined
        ? energyWh(entry.batteryCapacityKwh, `${path}.batteryCapacityKwh`, true)
        : context.defaultCapacityWh;
    if (capacityWh === null) {
      throw new ScenarioError(`${path}.batteryCapacityKwh`, "is missing and the scenario sets no batteryCapacityKwh");
    }
    const soc = asNumber(entry.soc, `${path}.soc`);
    if (soc < 0 || soc > 1) throw new ScenarioError(`${path}.soc`, `must be between 0 and 1 (got ${soc})`);
    return { id, side, seq, energyWh: wh, reservation, capacityWh, storedWh: socToStoredWh(soc, capacityWh), soc };
  });
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined) throw new ScenarioError(field, "is missing");
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ScenarioError(field, "must be an object");
  }
  return value as Record<string, unknown>;
}

function rejectUnknownFields(entry: Record<string, unknown>, known: readonly string[], path: string): void {
  for (const key of Object.keys(entry)) {
    if (!known.includes(key))
      throw new ScenarioError(`${path}.${key}`, `is not a known field (known: ${known.join(", ")})`);
  }
}

function asString(value: unknown, field: string): string {
  if (value === undefined) throw new ScenarioError(field, "is missing");
  if (typeof value !== "string") throw new ScenarioError(field, "must be a string");
  return value;
}

function asNumber(value: unknown, field: string): number {
  if (value === undefined) throw new ScenarioError(field, "is missing");
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ScenarioError(field, "must be a number");
  return value;
}

/** A non-negative price in currency units per kWh, to base units, exactly. */
function price(value: unknown, field: string): bigint {
  const amount = asNumber(value, field);
  if (amount < 0) throw new ScenarioError(field, `must not be negative (got ${amount})`);
  const units = scaleExactly(amount, TOKEN_DECIMALS);
  if (units === null) throw new ScenarioError(field, `${amount} has more than ${TOKEN_DECIMALS} decimals`);
  return units;
}

function wholeTicks(units: bigint, tick: bigint, field: string): bigint {
  if (units % tick !== 0n) {
    const shown = (Number(units) / 10 ** TOKEN_DECIMALS).toString();
    throw new ScenarioError(field, `${shown} is not a whole number of ticks of ${Number(tick) / 10 ** TOKEN_DECIMALS}`);
  }
  return units;
}

/** kWh to Wh, exactly; `allowZero` for battery capacities (no battery). */
function energyWh(value: unknown, field: string, allowZero: boolean): bigint {
  const kwh = asNumber(value, field);
  if (kwh < 0 || (!allowZero && kwh === 0)) {
    throw new ScenarioError(field, `must be ${allowZero ? "zero or positive" : "positive"} (got ${kwh})`);
  }
  const wh = scaleExactly(kwh, WH_DECIMALS);
  if (wh === null) throw new ScenarioError(field, `${kwh} kWh is not a whole number of Wh`);
  return wh;
}

function decimalsOf(tick: bigint): number {
  let decimals = TOKEN_DECIMALS;
  let rest = tick;
  // Loop bound: at most TOKEN_DECIMALS divisions.
  while (decimals > 0 && rest % 10n === 0n) {
    rest /= 10n;
    decimals--;
  }
  return decimals;
}
