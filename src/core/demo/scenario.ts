/**
 * The demo's scenario: a JSON value (already parsed; no file access here) naming the auction hours to
 * run (each an auction scenario file, read by the caller) and the settings of paper B's reputation
 * cycles. Validated and converted exactly: energy in Wh, prices in token base units per kWh.
 *
 *   {"description": "...",
 *    "auction": [{"hour": 24, "scenario": "auction/hour24-buyers-market.json"}, ...],
 *    "reputation": {"alpha": 0.4, "seed": 7, "cycles": 10, "tradesPerCycle": 10,
 *                   "providers": [{"id": "P1", "behaviour": "honest", "price": 0.60, "capacityKwh": 6}, ...],
 *                   "users": ["W", "X", ...], "requestKwh": [0.8, 1.6], "maxPrice": 0.80},
 *    "sources": {"F": "wind"}, "funding": {"depositEach": 100, "rewardPool": 150}}
 *
 * Scenario paths are relative to the demo file. Every user posts one request per cycle (the contract
 * takes one posting per participant and cycle), so `users` names exactly `tradesPerCycle` ids.
 */
import { ScenarioError } from "../auction/scenario";
import { scaleExactly } from "../decimal";
import {
  DEFAULT_DELIVERY_BEHAVIOUR,
  PROVIDER_BEHAVIOURS,
  toWad,
  type DeliveryBehaviourOptions,
} from "../matching/behaviour";
import type { ProviderBehaviour } from "../matching/behaviour";
import { parseEnergySource } from "../registry/validation";
import { TOKEN_DECIMALS } from "../units";

export interface DemoAuctionHour {
  /** Hour of the trading day, 1..24 (hour 24 delivers from 23:00 to 24:00). */
  readonly hour: number;
  /** Auction scenario file, relative to the demo file. */
  readonly scenario: string;
}

export interface DemoProvider {
  readonly id: string;
  readonly behaviour: ProviderBehaviour;
  readonly pricePerKwh: bigint;
  readonly capacityWh: bigint;
}

export interface DemoReputation {
  readonly alpha: number;
  readonly alphaWad: bigint;
  readonly seed: number;
  readonly cycles: number;
  readonly tradesPerCycle: number;
  readonly providers: readonly DemoProvider[];
  /** One request per user and cycle. */
  readonly users: readonly string[];
  /** Request sizes are drawn uniformly from this range (whole Wh), seeded. */
  readonly requestWh: readonly [min: bigint, max: bigint];
  readonly maxPricePerKwh: bigint;
  readonly behaviour: Required<DeliveryBehaviourOptions>;
}

export interface DemoFunding {
  /** Minted to and deposited by every participant, base units. */
  readonly depositEach: bigint;
  /** Paid into the honesty-reward pool by the operator, base units. */
  readonly rewardPool: bigint;
}

export interface DemoScenario {
  readonly description: string;
  readonly auction: readonly DemoAuctionHour[];
  readonly reputation: DemoReputation;
  /** Generation source per participant id, as registry:register takes it (solar, wind, none, ...). */
  readonly sources: Readonly<Record<string, string>>;
  readonly funding: DemoFunding;
}

const MAX_CYCLES = 100;
const MAX_TRADES_PER_CYCLE = 256;
const MAX_PROVIDERS = 64;

export function parseDemoScenario(value: unknown): DemoScenario {
  const root = object(value, "demo");
  known(root, ["description", "auction", "reputation", "sources", "funding"], "demo");
  const description = root.description === undefined ? "" : string(root.description, "description");
  return {
    description,
    auction: parseAuction(root.auction),
    reputation: parseReputation(root.reputation),
    sources: parseSources(root.sources),
    funding: parseFunding(root.funding),
  };
}

function parseAuction(value: unknown): DemoAuctionHour[] {
  const list = array(value, "auction");
  const hours = new Set<number>();
  return list.map((item, i) => {
    const path = `auction[${i}]`;
    const entry = object(item, path);
    known(entry, ["hour", "scenario"], path);
    const hour = integer(entry.hour, `${path}.hour`, 1, 24);
    if (hours.has(hour)) throw new ScenarioError(`${path}.hour`, `hour ${hour} is listed twice`);
    hours.add(hour);
    const scenario = string(entry.scenario, `${path}.scenario`);
    if (!scenario) throw new ScenarioError(`${path}.scenario`, "must name a file");
    return { hour, scenario };
  });
}

function parseReputation(value: unknown): DemoReputation {
  const path = "reputation";
  const r = object(value, path);
  known(
    r,
    [
      "alpha",
      "seed",
      "cycles",
      "tradesPerCycle",
      "providers",
      "users",
      "requestKwh",
      "maxPrice",
      "underDeliveryRange",
      "shortProbability",
      "shortRange",
    ],
    path,
  );
  const alpha = number(r.alpha, `${path}.alpha`);
  if (alpha < 0 || alpha > 1) throw new ScenarioError(`${path}.alpha`, `must lie in [0, 1] (got ${alpha})`);
  let alphaWad: bigint;
  try {
    alphaWad = toWad(alpha);
  } catch {
    throw new ScenarioError(`${path}.alpha`, `${alpha} has more than 9 decimals`);
  }
  const seed = integer(r.seed, `${path}.seed`, 0, 4_294_967_295);
  const cycles = integer(r.cycles, `${path}.cycles`, 1, MAX_CYCLES);
  const tradesPerCycle = integer(r.tradesPerCycle, `${path}.tradesPerCycle`, 1, MAX_TRADES_PER_CYCLE);

  const ids = new Set<string>();
  const providerList = array(r.providers, `${path}.providers`);
  if (providerList.length > MAX_PROVIDERS)
    throw new ScenarioError(`${path}.providers`, `at most ${MAX_PROVIDERS} providers`);
  const providers = providerList.map((item, i): DemoProvider => {
    const at = `${path}.providers[${i}]`;
    const p = object(item, at);
    known(p, ["id", "behaviour", "price", "capacityKwh"], at);
    const id = uniqueId(p.id, `${at}.id`, ids);
    const behaviour = string(p.behaviour, `${at}.behaviour`) as ProviderBehaviour;
    if (!PROVIDER_BEHAVIOURS.includes(behaviour))
      throw new ScenarioError(`${at}.behaviour`, `must be one of ${PROVIDER_BEHAVIOURS.join(", ")}`);
    return {
      id,
      behaviour,
      pricePerKwh: currency(p.price, `${at}.price`),
      capacityWh: energy(p.capacityKwh, `${at}.capacityKwh`),
    };
  });

  const users = array(r.users, `${path}.users`).map((u, i) => uniqueId(u, `${path}.users[${i}]`, ids));
  if (users.length !== tradesPerCycle) {
    throw new ScenarioError(
      `${path}.users`,
      `names ${users.length} users for ${tradesPerCycle} trades per cycle; each user posts one request per cycle`,
    );
  }
  const range = array(r.requestKwh, `${path}.requestKwh`);
  if (range.length !== 2) throw new ScenarioError(`${path}.requestKwh`, "must be [min, max] in kWh");
  const requestWh: [bigint, bigint] = [
    energy(range[0], `${path}.requestKwh[0]`),
    energy(range[1], `${path}.requestKwh[1]`),
  ];
  if (requestWh[0] > requestWh[1]) throw new ScenarioError(`${path}.requestKwh`, "min must not exceed max");
  return {
    alpha,
    alphaWad,
    seed,
    cycles,
    tradesPerCycle,
    providers,
    users,
    requestWh,
    maxPricePerKwh: currency(r.maxPrice, `${path}.maxPrice`),
    behaviour: {
      underDeliveryRange:
        r.underDeliveryRange === undefined
          ? DEFAULT_DELIVERY_BEHAVIOUR.underDeliveryRange
          : ratioRange(r.underDeliveryRange, `${path}.underDeliveryRange`),
      shortProbability:
        r.shortProbability === undefined
          ? DEFAULT_DELIVERY_BEHAVIOUR.shortProbability
          : probability(r.shortProbability, `${path}.shortProbability`),
      shortRange:
        r.shortRange === undefined
          ? DEFAULT_DELIVERY_BEHAVIOUR.shortRange
          : ratioRange(r.shortRange, `${path}.shortRange`),
    },
  };
}

function parseSources(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  const entry = object(value, "sources");
  const sources: Record<string, string> = {};
  for (const [id, source] of Object.entries(entry)) {
    const text = string(source, `sources.${id}`);
    if (!parseEnergySource(text))
      throw new ScenarioError(`sources.${id}`, `"${text}" is not a known source (solar, wind, hydro, biomass, ...)`);
    sources[id] = text;
  }
  return sources;
}

function parseFunding(value: unknown): DemoFunding {
  const defaults = {
    depositEach: 100n * 10n ** BigInt(TOKEN_DECIMALS),
    rewardPool: 200n * 10n ** BigInt(TOKEN_DECIMALS),
  };
  if (value === undefined) return defaults;
  const entry = object(value, "funding");
  known(entry, ["depositEach", "rewardPool"], "funding");
  return {
    depositEach:
      entry.depositEach === undefined ? defaults.depositEach : currency(entry.depositEach, "funding.depositEach"),
    rewardPool: entry.rewardPool === undefined ? defaults.rewardPool : currency(entry.rewardPool, "funding.rewardPool"),
  };
}

// ------------------------------------------------------------------------------------------ helpers

function object(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined) throw new ScenarioError(field, "is missing");
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new ScenarioError(field, "must be an object");
  return value as Record<string, unknown>;
}

function array(value: unknown, field: string): unknown[] {
  if (value === undefined) throw new ScenarioError(field, "is missing");
  if (!Array.isArray(value)) throw new ScenarioError(field, "must be a list");
  if (value.length === 0) throw new ScenarioError(field, "must not be empty");
  return value;
}

function known(entry: Record<string, unknown>, fields: readonly string[], path: string): void {
  for (const key of Object.keys(entry)) {
    if (!fields.includes(key))
      throw new ScenarioError(`${path}.${key}`, `is not a known field (known: ${fields.join(", ")})`);
  }
}

function string(value: unknown, field: string): string {
  if (value === undefined) throw new ScenarioError(field, "is missing");
  if (typeof value !== "string") throw new ScenarioError(field, "must be a string");
  return value;
}

function number(value: unknown, field: string): number {
  if (value === undefined) throw new ScenarioError(field, "is missing");
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ScenarioError(field, "must be a number");
  return value;
}

function integer(value: unknown, field: string, min: number, max: number): number {
  const n = number(value, field);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ScenarioError(field, `must be a whole number from ${min} to ${max} (got ${n})`);
  return n;
}

function uniqueId(value: unknown, field: string, ids: Set<string>): string {
  const id = string(value, field);
  if (!/^[A-Za-z0-9_-]{1,16}$/.test(id))
    throw new ScenarioError(field, `"${id}" must be 1..16 letters, digits, "_" or "-"`);
  if (ids.has(id)) throw new ScenarioError(field, `"${id}" is used twice`);
  ids.add(id);
  return id;
}

/** A positive amount of currency (or currency per kWh), to base units, exactly. */
function currency(value: unknown, field: string): bigint {
  const amount = number(value, field);
  const units = scaleExactly(amount, TOKEN_DECIMALS);
  if (units === null) throw new ScenarioError(field, `${amount} has more than ${TOKEN_DECIMALS} decimals`);
  if (units <= 0n) throw new ScenarioError(field, `must be positive (got ${amount})`);
  return units;
}

/** A positive energy in kWh, to whole Wh, exactly. */
function energy(value: unknown, field: string): bigint {
  const kwh = number(value, field);
  const wh = scaleExactly(kwh, 3);
  if (wh === null) throw new ScenarioError(field, `${kwh} kWh is not a whole number of Wh`);
  if (wh <= 0n) throw new ScenarioError(field, `must be positive (got ${kwh})`);
  return wh;
}

function probability(value: unknown, field: string): number {
  const p = number(value, field);
  if (p < 0 || p > 1) throw new ScenarioError(field, `must lie in [0, 1] (got ${p})`);
  return p;
}

function ratioRange(value: unknown, field: string): [number, number] {
  const list = array(value, field);
  if (list.length !== 2) throw new ScenarioError(field, "must be [min, max]");
  const [lo, hi] = [number(list[0], `${field}[0]`), number(list[1], `${field}[1]`)];
  if (lo < 0 || hi >= 1 || lo > hi) throw new ScenarioError(field, "must be ordered ratios in [0, 1)");
  return [lo, hi];
}
