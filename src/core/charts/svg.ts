/**
 * Shared pieces of the SVG charts (lineChart, stepChart, barChart): pure string building, so reports
 * render without a browser or a plotting package and the same input always gives the same bytes.
 */

export const PALETTE = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];

/** Room around the plot: the right margin holds the legend. */
export const MARGIN = { left: 64, right: 150, top: 40, bottom: 48 } as const;

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Coordinates in the SVG: one decimal is finer than a pixel. */
export function px(n: number): string {
  return n.toFixed(1);
}

/** About `count` round tick values covering [min, max] (steps of 1, 2, 2.5 or 5 times a power of ten). */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (max <= min) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  // Bound: at most 50 ticks.
  for (let v = Math.ceil(min / step) * step, i = 0; v <= max + step * 1e-9 && i < 50; v += step, i++) {
    ticks.push(Number(v.toFixed(10)));
  }
  return ticks;
}

/** The plot rectangle of a chart and the maps from data to SVG coordinates. */
export interface PlotArea {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
  readonly plotW: number;
  readonly plotH: number;
  sx(x: number): number;
  sy(y: number): number;
}

export function plotArea(
  width: number,
  height: number,
  x: readonly [min: number, max: number],
  y: readonly [min: number, max: number],
): PlotArea {
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  return {
    width,
    height,
    left: MARGIN.left,
    top: MARGIN.top,
    plotW,
    plotH,
    sx: (v) => MARGIN.left + ((v - x[0]) / (x[1] - x[0] || 1)) * plotW,
    sy: (v) => MARGIN.top + plotH - ((v - y[0]) / (y[1] - y[0] || 1)) * plotH,
  };
}

/** The opening tag, a white background and the title. */
export function svgOpen(width: number, height: number, title: string): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  ];
}

export interface Tick {
  readonly value: number;
  readonly label: string;
}

/** Horizontal grid lines with y tick labels, x tick labels (omitted when `xTicks` is empty), frame and axis titles. */
export function axes(
  area: PlotArea,
  {
    xTicks,
    yTicks,
    xLabel,
    yLabel,
  }: { xTicks: readonly Tick[]; yTicks: readonly Tick[]; xLabel: string; yLabel: string },
): string[] {
  const out: string[] = [];
  const right = area.left + area.plotW;
  const bottom = area.top + area.plotH;
  for (const t of yTicks) {
    const y = px(area.sy(t.value));
    out.push(`<line x1="${area.left}" x2="${right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(
      `<text x="${area.left - 6}" y="${px(area.sy(t.value) + 4)}" text-anchor="end">${escapeXml(t.label)}</text>`,
    );
  }
  for (const t of xTicks) {
    out.push(`<text x="${px(area.sx(t.value))}" y="${bottom + 16}" text-anchor="middle">${escapeXml(t.label)}</text>`);
  }
  out.push(
    `<rect x="${area.left}" y="${area.top}" width="${area.plotW}" height="${area.plotH}" fill="none" stroke="#333"/>`,
  );
  out.push(
    `<text x="${area.left + area.plotW / 2}" y="${area.height - 10}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
  );
  out.push(
    `<text transform="translate(16 ${area.top + area.plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(
      yLabel,
    )}</text>`,
  );
  return out;
}

/** Numeric ticks labelled with their value (or by `format`). */
export function numericTicks(min: number, max: number, count: number, format?: (v: number) => string): Tick[] {
  return niceTicks(min, max, count).map((value) => ({ value, label: format ? format(value) : String(value) }));
}

/** One legend entry in the right margin: a coloured swatch (line or box) and the label. */
export function legendEntry(
  area: PlotArea,
  index: number,
  color: string,
  label: string,
  swatch: "line" | "box",
): string[] {
  const x = area.left + area.plotW + 12;
  const y = area.top + 14 + index * 18;
  const mark =
    swatch === "line"
      ? `<line x1="${x}" x2="${x + 20}" y1="${y - 4}" y2="${y - 4}" stroke="${color}" stroke-width="3"/>`
      : `<rect x="${x + 4}" y="${y - 10}" width="12" height="12" fill="${color}"/>`;
  return [mark, `<text x="${x + 26}" y="${y}">${escapeXml(label)}</text>`];
}
