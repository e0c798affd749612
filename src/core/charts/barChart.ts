/**
 * An SVG grouped bar chart: one group per category (e.g. a participant), one bar per series (e.g. the
 * battery's state of charge before and after a period). Pure string building.
 */
import { PALETTE, axes, escapeXml, legendEntry, numericTicks, plotArea, px, svgOpen } from "./svg";

export interface BarSeries {
  readonly label: string;
  /** One value per category. */
  readonly values: readonly number[];
}

export interface BarChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly width?: number;
  readonly height?: number;
  readonly yMin?: number;
  readonly yMax?: number;
  /** Tick labels and the value written above each bar, e.g. as a percentage. */
  readonly format?: (value: number) => string;
}

export function barChart(
  categories: readonly string[],
  series: readonly BarSeries[],
  options: BarChartOptions,
): string {
  for (const s of series) {
    if (s.values.length !== categories.length)
      throw new RangeError(
        `barChart: series "${s.label}" has ${s.values.length} values for ${categories.length} categories`,
      );
  }
  const width = options.width ?? 720;
  const height = options.height ?? 400;
  const format = options.format ?? ((v: number) => String(v));
  const values = series.flatMap((s) => s.values);
  const yMin = options.yMin ?? Math.min(...values, 0);
  const yMax = options.yMax ?? Math.max(...values, yMin + 1);
  // x runs over category slots: category c occupies [c, c + 1)
  const area = plotArea(width, height, [0, Math.max(categories.length, 1)], [yMin, yMax]);
  const { sx, sy } = area;

  const out = svgOpen(width, height, options.title);
  out.push(
    ...axes(area, {
      xTicks: categories.map((label, c) => ({ value: c + 0.5, label })),
      yTicks: numericTicks(yMin, yMax, 5, format),
      xLabel: options.xLabel,
      yLabel: options.yLabel,
    }),
  );
  const groupWidth = 0.7;
  const barWidth = groupWidth / Math.max(series.length, 1);
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    s.values.forEach((value, c) => {
      const x0 = c + (1 - groupWidth) / 2 + i * barWidth;
      const top = sy(Math.max(value, yMin));
      const base = sy(Math.max(yMin, Math.min(0, yMax)));
      const y = Math.min(top, base);
      out.push(
        `<rect x="${px(sx(x0))}" y="${px(y)}" width="${px(sx(x0 + barWidth) - sx(x0))}" height="${px(
          Math.abs(base - top),
        )}" fill="${color}"/>`,
      );
      out.push(
        `<text x="${px(sx(x0 + barWidth / 2))}" y="${px(y - 4)}" text-anchor="middle" font-size="10">${escapeXml(
          format(value),
        )}</text>`,
      );
    });
    out.push(...legendEntry(area, i, color, s.label, "box"));
  });
  out.push("</svg>");
  return out.join("\n");
}
