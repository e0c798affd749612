/**
 * A small SVG line chart, pure string building: reports are rendered without a browser or any
 * plotting package, and the same input always gives the same bytes.
 */
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
}

const COLORS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"];
const MARGIN = { left: 64, right: 150, top: 40, bottom: 48 };

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function niceTicks(min: number, max: number, count: number): number[] {
  if (max <= min) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step, i = 0; v <= max + step * 1e-9 && i < 50; v += step, i++) {
    ticks.push(Number(v.toFixed(10)));
  }
  return ticks;
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
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const sx = (x: number) => MARGIN.left + ((x - xMin) / (xMax - xMin || 1)) * plotW;
  const sy = (y: number) => MARGIN.top + plotH - ((y - yMin) / (yMax - yMin || 1)) * plotH;
  const f = (n: number) => n.toFixed(1);

  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`);
  for (const t of niceTicks(yMin, yMax, 5)) {
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${f(sy(t))}" y2="${f(sy(t))}" stroke="#e5e5e5"/>`,
    );
    out.push(`<text x="${MARGIN.left - 6}" y="${f(sy(t) + 4)}" text-anchor="end">${t}</text>`);
  }
  for (const t of niceTicks(xMin, xMax, 8)) {
    out.push(`<text x="${f(sx(t))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${t}</text>`);
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`);
  out.push(
    `<text x="${MARGIN.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
  );
  out.push(
    `<text transform="translate(16 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(
      options.yLabel,
    )}</text>`,
  );
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const path: string[] = [];
    s.points.forEach(([x, y], k) => {
      if (k > 0 && options.step) path.push(`H${f(sx(x))}`);
      path.push(
        `${k === 0 ? "M" : options.step ? "V" : "L"}${k === 0 || !options.step ? `${f(sx(x))},` : ""}${f(sy(y))}`,
      );
    });
    out.push(`<path d="${path.join(" ")}" fill="none" stroke="${color}" stroke-width="2"/>`);
    if (!options.step)
      for (const [x, y] of s.points) out.push(`<circle cx="${f(sx(x))}" cy="${f(sy(y))}" r="3" fill="${color}"/>`);
    const ly = MARGIN.top + 14 + i * 18;
    out.push(
      `<line x1="${MARGIN.left + plotW + 12}" x2="${MARGIN.left + plotW + 32}" y1="${ly - 4}" y2="${
        ly - 4
      }" stroke="${color}" stroke-width="3"/>`,
    );
    out.push(`<text x="${MARGIN.left + plotW + 38}" y="${ly}">${escapeXml(s.label)}</text>`);
  });
  out.push("</svg>");
  return out.join("\n");
}
