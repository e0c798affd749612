/**
 * The demo's SVG charts, from the report: per auction hour the supply and demand stacks at the final
 * quotes with the clearing price, and the batteries before and after; the providers' reputation curves.
 */
import { barChart } from "../charts/barChart";
import { lineChart } from "../charts/lineChart";
import { stepChart } from "../charts/stepChart";
import type { AuctionHourReport, AuctionParticipantReport, DemoReport, ReputationReport } from "./report";

export interface ChartFile {
  readonly name: string;
  readonly svg: string;
}

export function demoCharts(report: DemoReport): ChartFile[] {
  return [
    ...report.auction.flatMap((h) => [
      { name: `auction-hour${h.hour}.svg`, svg: stacksChart(h) },
      { name: `battery-hour${h.hour}.svg`, svg: batteryChart(h) },
    ]),
    { name: "reputation.svg", svg: reputationChart(report.reputation) },
  ];
}

/**
 * The merit orders at the final quotes: sellers by ask ascending, buyers by bid descending; equal quotes
 * ranked by the better reservation, then the earlier order (SPEC section 3).
 */
function stack(h: AuctionHourReport, side: "seller" | "buyer"): AuctionParticipantReport[] {
  const sign = side === "seller" ? 1 : -1;
  return h.participants
    .map((p, index) => ({ p, index }))
    .filter(({ p }) => p.side === side)
    .sort((a, b) => sign * (a.p.quote - b.p.quote) || sign * (a.p.reservation - b.p.reservation) || a.index - b.index)
    .map(({ p }) => p);
}

function stacksChart(h: AuctionHourReport): string {
  const steps = (side: "seller" | "buyer") => stack(h, side).map((p) => ({ width: p.kwh, value: p.quote, tag: p.id }));
  return stepChart(
    [
      { label: "supply (asks)", steps: steps("seller") },
      { label: "demand (bids)", steps: steps("buyer"), end: 0 },
    ],
    {
      title: `Hour ${h.hour}: supply and demand at the final quotes (${h.market}'s market)`,
      xLabel: "energy, kWh (merit order)",
      yLabel: "price per kWh",
      yMin: 0,
      yMax: 1.1 * Math.max(1, ...h.participants.map((p) => p.quote)),
      lines: [{ label: `price ${h.price.toFixed(2)}`, y: h.price }],
      yFormat: (v) => v.toFixed(2),
    },
  );
}

function batteryChart(h: AuctionHourReport): string {
  const withBattery = h.participants.filter((p) => p.batteryCapacityKwh > 0);
  return barChart(
    withBattery.map((p) => `${p.id} (${p.side})`),
    [
      { label: "before", values: withBattery.map((p) => p.socBefore) },
      { label: "after", values: withBattery.map((p) => p.socAfter) },
    ],
    {
      title: `Hour ${h.hour}: battery state of charge before and after`,
      xLabel: "prosumer",
      yLabel: "state of charge",
      yMin: 0,
      yMax: 1,
      format: (v) => `${Math.round(v * 100)}%`,
    },
  );
}

function reputationChart(r: ReputationReport): string {
  return lineChart(
    r.providers.map((p) => ({
      label: `${p.id} (${p.behaviour})`,
      points: p.reputation.map((rc, c) => [c + 1, rc] as const),
    })),
    {
      title: `Comprehensive reputation RC per cycle, on chain (alpha ${r.alpha}, seed ${r.seed})`,
      xLabel: "cycle",
      yLabel: "RC",
      yMin: 0,
      yMax: 1,
    },
  );
}
