/**
 * Horizontal bar chart as a self-contained SVG string (server-side rendering, no script, no
 * inline style attributes, so it passes a strict Content-Security-Policy). Colours come from
 * CSS classes (`chart-bar`, `chart-label`, `chart-value`) with attribute fallbacks.
 */
import { escapeHtml } from "../util/html.js";
import { formatCount, truncateLabel } from "./format.js";

export interface Bar {
  label: string;
  value: number;
  /** Optional link target for the label (already a safe, same-site URL). */
  href?: string;
}

export interface BarChartOptions {
  /** Accessible name of the chart. */
  title: string;
  width?: number;
  barHeight?: number;
  /** Characters of label before it is cut with an ellipsis (the full label stays in a tooltip). */
  labelChars?: number;
}

export function barChart(bars: readonly Bar[], options: BarChartOptions): string {
  const width = options.width ?? 560;
  const barHeight = options.barHeight ?? 22;
  const labelChars = options.labelChars ?? 28;
  const gap = 6;
  const labelWidth = Math.min(width * 0.45, labelChars * 7 + 8);
  const max = bars.reduce((m, bar) => Math.max(m, bar.value), 0) || 1;
  // Room right of the longest bar for its value label (about 7 px per character at 12 px).
  const valueWidth = 12 + 7 * formatCount(max).length;
  const plotWidth = Math.max(10, width - labelWidth - valueWidth);
  const height = Math.max(1, bars.length) * (barHeight + gap);

  const rows = bars.map((bar, i) => {
    const y = i * (barHeight + gap);
    const barWidth = Math.max(1, (plotWidth * bar.value) / max);
    const textY = y + barHeight / 2;
    const shown = escapeHtml(truncateLabel(bar.label, labelChars));
    const label = bar.href ? `<a href="${escapeHtml(bar.href)}">${shown}</a>` : shown;
    return (
      `<g><title>${escapeHtml(bar.label)}: ${formatCount(bar.value)}</title>` +
      `<text class="chart-label" x="${labelWidth - 8}" y="${textY}" text-anchor="end" dominant-baseline="middle">${label}</text>` +
      `<rect class="chart-bar" x="${labelWidth}" y="${y}" width="${barWidth.toFixed(1)}" height="${barHeight}" rx="3" fill="#4f6bed"/>` +
      `<text class="chart-value" x="${(labelWidth + barWidth + 6).toFixed(1)}" y="${textY}" dominant-baseline="middle">${formatCount(bar.value)}</text></g>`
    );
  });
  const empty = bars.length === 0 ? `<text class="chart-label" x="0" y="${barHeight / 2}" dominant-baseline="middle">No data</text>` : "";
  return (
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(options.title)}">` +
    `<title>${escapeHtml(options.title)}</title>${rows.join("")}${empty}</svg>`
  );
}
