/**
 * Vertical column chart for a time series (plays per day or week) as an SVG string: one column
 * per period in order, a few evenly spaced period labels under the axis and the maximum on the
 * value axis. Like the bar chart it needs no script and no inline styles.
 */
import { escapeHtml } from "../util/html.js";
import { formatCompact, formatCount } from "./format.js";

export interface Column {
  /** Period label, e.g. "2021-01-31". */
  label: string;
  value: number;
}

export interface ColumnChartOptions {
  title: string;
  width?: number;
  height?: number;
  /** How many period labels to print under the axis at most. */
  ticks?: number;
}

export function columnChart(columns: readonly Column[], options: ColumnChartOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 200;
  const ticks = Math.max(2, options.ticks ?? 5);
  const left = 44;
  const bottom = 22;
  const top = 8;
  const plotWidth = width - left - 4;
  const plotHeight = height - top - bottom;
  const max = columns.reduce((m, c) => Math.max(m, c.value), 0) || 1;
  const step = plotWidth / Math.max(1, columns.length);
  const columnWidth = Math.max(0.5, step * 0.85);

  const parts: string[] = [];
  parts.push(
    `<line class="chart-axis" x1="${left}" y1="${top + plotHeight}" x2="${width - 4}" y2="${top + plotHeight}" stroke="#9aa3b2"/>`,
    `<text class="chart-tick" x="${left - 6}" y="${top + 4}" text-anchor="end" dominant-baseline="hanging">${formatCompact(max)}</text>`,
    `<text class="chart-tick" x="${left - 6}" y="${top + plotHeight}" text-anchor="end">0</text>`,
  );
  for (let i = 0; i < columns.length; i++) {
    const h = (plotHeight * columns[i].value) / max;
    const x = left + i * step;
    parts.push(
      `<rect class="chart-bar" x="${x.toFixed(2)}" y="${(top + plotHeight - h).toFixed(2)}" width="${columnWidth.toFixed(2)}" height="${h.toFixed(2)}" fill="#4f6bed">` +
        `<title>${escapeHtml(columns[i].label)}: ${formatCount(columns[i].value)}</title></rect>`,
    );
  }
  const tickEvery = Math.max(1, Math.ceil(columns.length / ticks));
  for (let i = 0; i < columns.length; i += tickEvery) {
    const x = left + i * step + columnWidth / 2;
    const anchor = i === 0 ? "start" : "middle";
    parts.push(`<text class="chart-tick" x="${x.toFixed(1)}" y="${height - 4}" text-anchor="${anchor}">${escapeHtml(columns[i].label)}</text>`);
  }
  if (columns.length === 0) parts.push(`<text class="chart-label" x="${left + 8}" y="${top + plotHeight / 2}">No dated plays</text>`);
  return (
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(options.title)}">` +
    `<title>${escapeHtml(options.title)}</title>${parts.join("")}</svg>`
  );
}
