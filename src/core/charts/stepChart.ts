/**
 * An SVG step chart: each series is a run of horizontal steps laid end to end from x = 0, the shape of
 * an auction's supply and demand stacks (x = cumulative energy, y = quote). Horizontal reference lines
 * mark values such as the clearing price. Pure string building.
 */
import { PALETTE, axes, escapeXml, legendEntry, numericTicks, plotArea, px, svgOpen } from "./svg";

export interface Step {
  /** Length along x (e.g. kWh), > 0. */
  readonly width: number;
  /** Height (e.g. price). */
  readonly value: number;
  /** Written above the middle of the step (e.g. the participant's id). */
  readonly tag?: string;
}

export interface StepSeries {
  readonly label: string;
  readonly steps: readonly Step[];
  /** After the last step the line drops (or rises) to this value, e.g. a demand stack falling to 0 at its total. */
  readonly end?: number;
}

export interface ReferenceLine {
  readonly label: string;
  readonly y: number;
}

export interface StepChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
  readonly yMin?: number;
  readonly yMax?: number;
  readonly lines?: readonly ReferenceLine[];
  /** y tick labels, e.g. two decimals for prices. */
  readonly yFormat?: (value: number) => string;
}

export function stepChart(series: readonly StepSeries[], options: StepChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 400;
  const lines = options.lines ?? [];
  const totals = series.map((s) => s.steps.reduce((sum, step) => sum + step.width, 0));
  const values = [...series.flatMap((s) => s.steps.map((step) => step.value)), ...lines.map((l) => l.y)];
  const xMax = Math.max(...totals, 1);
  const yMin = options.yMin ?? Math.min(...values, 0);
  const yMax = options.yMax ?? Math.max(...values, yMin + 1);
  const area = plotArea(width, height, [0, xMax], [yMin, yMax]);
  const { sx, sy } = area;

  const out = svgOpen(width, height, options.title);
  out.push(
    ...axes(area, {
      xTicks: numericTicks(0, xMax, 8),
      yTicks: numericTicks(yMin, yMax, 5, options.yFormat),
      xLabel: options.xLabel,
      yLabel: options.yLabel,
    }),
  );
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const path: string[] = [];
    let x = 0;
    s.steps.forEach((step, k) => {
      path.push(k === 0 ? `M${px(sx(0))},${px(sy(step.value))}` : `V${px(sy(step.value))}`);
      const end = x + step.width;
      path.push(`H${px(sx(end))}`);
      if (step.tag) {
        out.push(
          `<text x="${px(sx((x + end) / 2))}" y="${px(
            sy(step.value) - 5,
          )}" text-anchor="middle" font-size="11" fill="${color}">${escapeXml(step.tag)}</text>`,
        );
      }
      x = end;
    });
    if (path.length && s.end !== undefined) path.push(`V${px(sy(s.end))}`);
    if (path.length) out.push(`<path d="${path.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`);
    out.push(...legendEntry(area, i, color, s.label, "line"));
  });
  lines.forEach((line, k) => {
    const y = px(sy(line.y));
    out.push(
      `<line x1="${area.left}" x2="${
        area.left + area.plotW
      }" y1="${y}" y2="${y}" stroke="#333" stroke-dasharray="6 4"/>`,
    );
    const entry = series.length + k;
    const lx = area.left + area.plotW + 12;
    const ly = area.top + 14 + entry * 18;
    out.push(`<line x1="${lx}" x2="${lx + 20}" y1="${ly - 4}" y2="${ly - 4}" stroke="#333" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${lx + 26}" y="${ly}">${escapeXml(line.label)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}
