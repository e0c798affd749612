/**
 * A small SVG line chart, pure string building: reports are rendered without a browser or any
 * plotting package, and the same input always gives the same bytes.
 */
import { PALETTE, axes, legendEntry, numericTicks, plotArea, px, svgOpen } from "./svg";

export { escapeXml } from "./svg";

export interface Series {
  readonly label: string;
  readonly points: readonly (readonly [x: number, y: number])[];
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
  /** y range; defaults to the data's range */
  readonly yMin?: number;
  readonly yMax?: number;
  /** draw steps (value holds until the next x) instead of straight segments */
  readonly step?: boolean;
  /** points only, no connecting line (a scatter plot) */
  readonly markersOnly?: boolean;
}

export function lineChart(series: readonly Series[], options: LineChartOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 400;
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const xMin = Math.min(...xs, 0);
  const xMax = Math.max(...xs, 1);
  const yMin = options.yMin ?? Math.min(...ys, 0);
  const yMax = options.yMax ?? Math.max(...ys, yMin + 1);
  const area = plotArea(width, height, [xMin, xMax], [yMin, yMax]);
  const { sx, sy } = area;

  const out = svgOpen(width, height, options.title);
  out.push(
    ...axes(area, {
      xTicks: numericTicks(xMin, xMax, 8),
      yTicks: numericTicks(yMin, yMax, 5),
      xLabel: options.xLabel,
      yLabel: options.yLabel,
    }),
  );
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const path: string[] = [];
    s.points.forEach(([x, y], k) => {
      if (k > 0 && options.step) path.push(`H${px(sx(x))}`);
      path.push(
        `${k === 0 ? "M" : options.step ? "V" : "L"}${k === 0 || !options.step ? `${px(sx(x))},` : ""}${px(sy(y))}`,
      );
    });
    if (!options.markersOnly) out.push(`<path d="${path.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`);
    if (!options.step)
      for (const [x, y] of s.points) out.push(`<circle cx="${px(sx(x))}" cy="${px(sy(y))}" r="3" fill="${color}"/>`);
    out.push(...legendEntry(area, i, color, s.label, "line"));
  });
  out.push("</svg>");
  return out.join("\n");
}
