/**
 * The demo's report as paper-style text tables. Pure: returns strings, prints nothing.
 */
import type { AuctionHourReport, DemoReport, ReputationReport, SettlementReport } from "./report";
import type { RosterMember } from "./roster";

/** Columns padded to their widest cell; numeric columns (every cell a number or "-") right-aligned. */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const numeric = headers.map((_, c) => rows.length > 0 && rows.every((r) => /^(-?[\d.]+%?|-)$/.test(r[c] ?? "")));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join("  ")
      .trimEnd();
  return [line(headers), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const price = (p: number) => p.toFixed(2);
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
const energy = (kwh: number) => String(Math.round(kwh * 1000) / 1000);
const percent = (fraction: number) => `${Math.round(fraction * 10_000) / 100}%`;
const currency = (amount: number | null) => (amount === null ? "-" : amount.toFixed(2));

const MARKET_NAMES: Record<string, string> = {
  buyer: "buyer's market",
  seller: "seller's market",
  balanced: "balanced market",
  empty: "empty market",
};

export interface RosterRow {
  readonly member: RosterMember;
  readonly address: string;
  readonly meterDevice: string;
}

/** 0x70997970C51812dc3A010C7aab4de6A8c1C5A8aE -> 0x7099…A8aE */
export function shortAddress(address: string): string {
  return address.length > 12 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

export function formatRoster(rows: readonly RosterRow[]): string {
  return textTable(
    ["id", "account", "address", "meter device", "roles", "source", "battery kWh"],
    rows.map(({ member: m, address, meterDevice }) => [
      m.id,
      String(m.account),
      shortAddress(address),
      shortAddress(meterDevice),
      m.behaviour ? `${m.roles.join(", ")} (${m.behaviour})` : m.roles.join(", "),
      m.source,
      energy(Number(m.batteryWh) / 1000),
    ]),
  );
}

/** Round trace (the competing side's quotes, as auction:nash prints it) and the per-participant table. */
export function formatAuctionHour(h: AuctionHourReport): string {
  const title =
    `Hour ${h.hour} (period ${h.periodId}): ${MARKET_NAMES[h.market]}, price ${price(h.price)}/kWh, ` +
    `${plural(h.rounds, "round")} with quote changes, ${h.roundsClosed} closed on chain; ` +
    `Nash equilibrium: ${h.nash ? "yes" : "NO"}`;
  const competing = h.market === "seller" ? "buyer" : "seller";
  const shown = h.participants.filter((p) => p.side === competing).map((p) => p.id);
  const trace = h.trace.map((r) => {
    if (r.round > 1 && r.revisions === 0) return `  round ${r.round}: no quote changes -> equilibrium`;
    const quotes = shown.map((id) => `${id} ${price(r.quotes[id])}`).join("  ");
    return `  round ${r.round}: ${quotes}   price ${price(r.price)}`;
  });
  const table = textTable(
    ["id", "side", "kWh", "min/max", "quote", "traded", "battery", "grid", "SoC before", "SoC after"],
    h.participants.map((p) => [
      p.id,
      p.side,
      energy(p.kwh),
      price(p.reservation),
      price(p.quote),
      energy(p.tradedKwh),
      energy(p.batteryKwh),
      energy(p.gridKwh),
      p.batteryCapacityKwh > 0 ? percent(p.socBefore) : "-",
      p.batteryCapacityKwh > 0 ? percent(p.socAfter) : "-",
    ]),
  );
  const trades = h.trades.map(
    (t) => `#${t.tradeId} ${t.seller} -> ${t.buyer} ${energy(t.kwh)} kWh at ${price(t.price)}`,
  );
  return [
    title,
    ...trace,
    "",
    table,
    `energy in kWh; traded from the escrow's trades, battery and grid by the storage rule from them`,
    `trades: ${trades.join("; ") || "none"}`,
  ].join("\n");
}

/** RC per cycle and provider, with each cycle's trades and short deliveries. */
export function formatReputation(r: ReputationReport): string {
  const headers = ["cycle", ...r.providers.map((p) => `${p.id} ${p.behaviour}`)];
  const rows = r.cycleIds.map((cycleId, c) => [
    String(cycleId),
    ...r.providers.map((p) => `${p.reputation[c].toFixed(3)} (${p.trades[c]}/${p.shortTrades[c]})`),
  ]);
  rows.push(["final", ...r.providers.map((p) => p.final.toFixed(3))]);
  return [
    `Comprehensive reputation RC after each cycle (alpha ${r.alpha}, seed ${r.seed}); ` +
      `in brackets: trades / delivered short; final = reputationOf`,
    textTable(headers, rows),
  ].join("\n");
}

/** Every trade's settlement, then the totals and the escrow's balance check. */
export function formatSettlement(s: SettlementReport): string {
  const defaults = (p: boolean, u: boolean) => (p && u ? "both" : p ? "provider" : u ? "user" : "-");
  const table = textTable(
    [
      "trade",
      "market",
      "when",
      "seller",
      "buyer",
      "agreed kWh",
      "price",
      "rho kWh",
      "gamma kWh",
      "payment",
      "refund",
      "reward",
      "penalty",
      "defaults",
      "cert Wh",
    ],
    s.list.map((t) => [
      String(t.id),
      t.market,
      t.when,
      t.seller,
      t.buyer,
      energy(t.agreedKwh),
      price(t.price),
      t.providerKwh === null ? "-" : energy(t.providerKwh),
      t.userKwh === null ? "-" : energy(t.userKwh),
      currency(t.payment),
      currency(t.refund),
      currency(t.reward),
      currency(t.penalty),
      defaults(t.providerDefaulted, t.userDefaulted),
      String(t.certificatesWh),
    ]),
  );
  const e = s.escrow;
  return [
    table,
    "",
    `${s.settled} of ${s.trades} trades settled; payments ${currency(s.totals.payments)}, refunds ` +
      `${currency(s.totals.refunds)}, honesty rewards ${currency(s.totals.rewards)} (owed ${currency(
        s.totals.rewardsOwed,
      )}), penalties ${currency(s.totals.penalties)}, defaults ${s.totals.defaults}`,
    `green certificates issued: ${s.certificatesWh} Wh (${s.certificatesWh / 1_000_000} MWh)`,
    `escrow holds ${currency(e.holds)} = free ${currency(e.free)} + locked ${currency(e.locked)} + reward pool ` +
      `${currency(e.rewardPool)}: ${s.escrowConserved ? "conserved" : "NOT CONSERVED"}`,
  ].join("\n");
}

export interface DemoText {
  readonly scenarioFile: string;
  readonly description: string;
  /** Contract name -> address. */
  readonly contracts: Readonly<Record<string, string>>;
  readonly roster: readonly RosterRow[];
  readonly report: DemoReport;
  readonly files: readonly string[];
  readonly seconds: number;
}

/** Everything the demo prints without --json, section by section. */
export function formatDemo(d: DemoText): string {
  const section = (title: string) => `\n== ${title}\n`;
  return [
    `GreenGrid Exchange: a trading day on the embedded network (scenario ${d.scenarioFile})`,
    d.description,
    section("Deployed through the Ignition module GreenGrid"),
    Object.entries(d.contracts)
      .map(([name, address]) => `${name.padEnd(13)}${address}`)
      .join("\n"),
    section("Participants: each registered itself, the regulator approved, each deposited test gEUR"),
    formatRoster(d.roster),
    section("Double auction (paper A): orders on chain, Nash iteration off chain, revisions posted round by round"),
    d.report.auction.map(formatAuctionHour).join("\n\n"),
    section(
      `Reputation-weighted matching (paper B): ${d.report.reputation.cycleIds.length} cycles, ` +
        `assignments by branch-and-bound, verified on chain`,
    ),
    formatReputation(d.report.reputation),
    section("Settlement of every trade (meter readings signed by the devices, relayed in batches)"),
    formatSettlement(d.report.settlement),
    section("Files"),
    d.files.join("\n"),
    `\nFinished in ${d.seconds.toFixed(1)} s.`,
  ].join("\n");
}
