/**
 * Line chart as a self-contained SVG string: one polyline with point markers per series, x and y
 * axes with "nice" ticks, axis labels and a legend. No script and no inline styles (colours come
 * from CSS classes `chart-series-<n>` with attribute fallbacks), and every piece of text is
 * escaped, so series names from user data are safe in a page or a standalone .svg file.
 */
import { escapeHtml } from "../util/html.js";
import { truncateLabel } from "./format.js";

export interface Point {
  x: number;
  y: number;
}

export interface Series {
  name: string;
  points: readonly Point[];
}

export interface LineChartOptions {
  /** Accessible name, also drawn as the heading. */
  title: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** "log" spaces x values logarithmically (all x must be > 0), e.g. for K = 1, 5, 10, 20, 50. */
  xScale?: "linear" | "log";
  /** Tick positions on the x axis; defaults to every distinct x of the data (or nice ticks when there are many). */
  xTicks?: readonly number[];
  /** Lower end of the y axis; defaults to 0 (or the data minimum when it is negative). */
  yMin?: number;
  /** Characters of a legend entry before it is cut with an ellipsis (the full name stays in a tooltip); default 24. */
  legendChars?: number;
  /** Tick and tooltip text of a value; defaults to at most 3 significant digits. */
  formatY?: (value: number) => string;
  formatX?: (value: number) => string;
}

/** Distinguishable colours (Okabe–Ito inspired), cycled when there are more series. */
export const SERIES_COLOURS = ["#4f6bed", "#e69f00", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#8c6d31", "#000000"];

const formatDefault = (value: number): string => String(Number(value.toPrecision(3)));

/** Tick values covering [min, max] with a 1/2/5 × 10^n step, about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max <= min) return [min];
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return ticks;
}

export function lineChart(series: readonly Series[], options: LineChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 360;
  const formatY = options.formatY ?? formatDefault;
  const formatX = options.formatX ?? formatDefault;
  const log = options.xScale === "log";
  const points = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!log || p.x > 0));

  const legendChars = options.legendChars ?? 24;
  const legendLabels = series.map((s) => truncateLabel(s.name, legendChars));
  const legendWidth = series.length > 0 ? 28 + 7 * Math.max(...legendLabels.map((label) => Array.from(label).length)) : 0;
  const margin = { top: 32, right: 16 + legendWidth, bottom: options.xLabel ? 46 : 30, left: options.yLabel ? 64 : 48 };
  const plotWidth = Math.max(10, width - margin.left - margin.right);
  const plotHeight = Math.max(10, height - margin.top - margin.bottom);

  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const yTicks = niceTicks(options.yMin ?? Math.min(0, ...ys), ys.length ? Math.max(...ys) : 1);
  const yLow = yTicks[0] ?? 0;
  const yHigh = yTicks.length > 1 ? yTicks[yTicks.length - 1] : yLow + 1;
  const distinctX = [...new Set(xs)].sort((a, b) => a - b);
  const xTicks = options.xTicks ?? (distinctX.length <= 12 ? distinctX : niceTicks(xMin, xMax));

  const tx = log ? (x: number) => Math.log(x) : (x: number) => x;
  const xSpan = tx(xMax) - tx(xMin) || 1;
  const px = (x: number) => margin.left + (xMax === xMin ? plotWidth / 2 : ((tx(x) - tx(xMin)) / xSpan) * plotWidth);
  const py = (y: number) => margin.top + plotHeight - ((y - yLow) / (yHigh - yLow)) * plotHeight;
  const bottomY = margin.top + plotHeight;

  const parts: string[] = [];
  parts.push(`<text class="chart-title" x="${margin.left}" y="18" font-size="14" font-weight="600" fill="#1f2430">${escapeHtml(options.title)}</text>`);
  for (const y of yTicks) {
    const yy = py(y).toFixed(1);
    parts.push(
      `<line class="chart-grid" x1="${margin.left}" y1="${yy}" x2="${margin.left + plotWidth}" y2="${yy}" stroke="#e3e6ec"/>`,
      `<text class="chart-tick" x="${margin.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle" font-size="11" fill="#5b6472">${escapeHtml(formatY(y))}</text>`,
    );
  }
  for (const x of xTicks) {
    if (x < xMin || x > xMax || (log && x <= 0)) continue;
    const xx = px(x).toFixed(1);
    parts.push(
      `<line class="chart-axis" x1="${xx}" y1="${bottomY}" x2="${xx}" y2="${bottomY + 4}" stroke="#9aa3b2"/>`,
      `<text class="chart-tick" x="${xx}" y="${bottomY + 16}" text-anchor="middle" font-size="11" fill="#5b6472">${escapeHtml(formatX(x))}</text>`,
    );
  }
  parts.push(
    `<line class="chart-axis" x1="${margin.left}" y1="${bottomY}" x2="${margin.left + plotWidth}" y2="${bottomY}" stroke="#9aa3b2"/>`,
    `<line class="chart-axis" x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${bottomY}" stroke="#9aa3b2"/>`,
  );
  if (options.xLabel) {
    parts.push(`<text class="chart-label" x="${margin.left + plotWidth / 2}" y="${height - 8}" text-anchor="middle" font-size="12" fill="#1f2430">${escapeHtml(options.xLabel)}</text>`);
  }
  if (options.yLabel) {
    const cy = margin.top + plotHeight / 2;
    parts.push(`<text class="chart-label" x="14" y="${cy}" text-anchor="middle" transform="rotate(-90 14 ${cy})" font-size="12" fill="#1f2430">${escapeHtml(options.yLabel)}</text>`);
  }

  series.forEach((s, i) => {
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
    const cls = `chart-series chart-series-${i}`;
    const visible = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!log || p.x > 0)).slice().sort((a, b) => a.x - b.x);
    if (visible.length > 1) {
      const path = visible.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(" ");
      parts.push(`<polyline class="${cls}" points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    }
    for (const p of visible) {
      parts.push(
        `<circle class="${cls}" cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${colour}">` +
          `<title>${escapeHtml(s.name)}: ${escapeHtml(formatX(p.x))}, ${escapeHtml(formatY(p.y))}</title></circle>`,
      );
    }
    const ly = margin.top + 8 + i * 18;
    const lx = margin.left + plotWidth + 16;
    parts.push(
      `<line class="${cls}" x1="${lx}" y1="${ly}" x2="${lx + 16}" y2="${ly}" stroke="${colour}" stroke-width="3"/>`,
      `<text class="chart-legend" x="${lx + 22}" y="${ly}" dominant-baseline="middle" font-size="12" fill="#1f2430"><title>${escapeHtml(s.name)}</title>${escapeHtml(legendLabels[i])}</text>`,
    );
  });
  if (points.length === 0) {
    parts.push(`<text class="chart-label" x="${margin.left + plotWidth / 2}" y="${margin.top + plotHeight / 2}" text-anchor="middle" fill="#5b6472">No data</text>`);
  }

  return (
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(options.title)}" font-family="system-ui, sans-serif">` +
    `<title>${escapeHtml(options.title)}</title>${parts.join("")}</svg>`
  );
}
