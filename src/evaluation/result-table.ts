/**
 * The results of an evaluation as a table: aligned plain text for the terminal, or Markdown for
 * the report. One row per model with the metrics at K (mean ± std when there are several seeds).
 */
import type { EvaluationResult, MetricSummary } from "./evaluate.js";
import type { MetricName } from "./rank-users.js";

const COLUMNS: { metric: MetricName; label: (k: number) => string; digits: number }[] = [
  { metric: "precision", label: (k) => `P@${k}`, digits: 4 },
  { metric: "recall", label: (k) => `R@${k}`, digits: 4 },
  { metric: "ndcg", label: (k) => `NDCG@${k}`, digits: 4 },
  { metric: "map", label: (k) => `MAP@${k}`, digits: 4 },
  { metric: "hitRate", label: (k) => `HR@${k}`, digits: 4 },
  { metric: "mrr", label: (k) => `MRR@${k}`, digits: 4 },
  { metric: "coverage", label: (k) => `Cov@${k}`, digits: 4 },
  { metric: "novelty", label: (k) => `Nov@${k}`, digits: 2 },
];

export function metricCell(summary: MetricSummary, metric: MetricName, digits: number, withStd: boolean): string {
  const mean = summary.mean[metric].toFixed(digits);
  return withStd ? `${mean} ± ${summary.std[metric].toFixed(digits)}` : mean;
}

/** Header and rows of the table (strings, unpadded). */
export function resultRows(result: EvaluationResult): { header: string[]; rows: string[][]; numeric: boolean[] } {
  const withStd = result.seeds.length > 1;
  const header = ["model", ...COLUMNS.map((c) => c.label(result.k)), "users", "fit s", "rank s"];
  const rows = result.results.map((r) => [
    r.model,
    ...COLUMNS.map((c) => metricCell(r, c.metric, c.digits, withStd)),
    Math.round(r.users).toLocaleString("en"),
    r.fitSeconds.toFixed(1),
    r.rankSeconds.toFixed(1),
  ]);
  return { header, rows, numeric: header.map((_, i) => i > 0) };
}

export function terminalTable(result: EvaluationResult): string {
  const { header, rows, numeric } = resultRows(result);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Markdown table; cells are escaped so that a pipe in a name cannot break the table. */
export function markdownTable(header: string[], rows: string[][], numeric: boolean[]): string {
  const cell = (text: string) => text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");
  return [
    `| ${header.map(cell).join(" | ")} |`,
    `|${numeric.map((n) => (n ? " ---: " : " --- ")).join("|")}|`,
    ...rows.map((row) => `| ${row.map(cell).join(" | ")} |`),
  ].join("\n");
}
