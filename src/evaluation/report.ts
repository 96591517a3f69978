/**
 * `--report FILE`: a Markdown report of an evaluation (setup, the results table at K, NDCG and
 * recall against K as tables and as SVG line charts written next to the report) — every file
 * written atomically.
 */
import path from "node:path";
import { lineChart } from "../charts/line-chart.js";
import { writeFileAtomic } from "../util/atomic-write.js";
import type { EvaluationResult } from "./evaluate.js";
import type { MetricName } from "./rank-users.js";
import { markdownTable, metricCell, resultRows } from "./result-table.js";

export interface ReportContext {
  /** The store evaluated and the item level, for the setup section. */
  store: string;
  level: string;
  minUserItems: number;
  minItemUsers: number;
}

const CURVES: { metric: MetricName; title: string }[] = [
  { metric: "ndcg", title: "NDCG" },
  { metric: "recall", title: "Recall" },
];

/** Writes FILE and FILE's `<name>-ndcg.svg` / `<name>-recall.svg`; returns the paths written. */
export async function writeReport(file: string, result: EvaluationResult, context: ReportContext): Promise<string[]> {
  const parsed = path.parse(path.resolve(file));
  const charts = CURVES.map((curve) => ({ ...curve, file: path.join(parsed.dir, `${parsed.name}-${curve.metric}.svg`) }));
  for (const chart of charts) await writeFileAtomic(chart.file, curveChart(result, chart.metric, chart.title));
  await writeFileAtomic(file, reportMarkdown(result, context, charts.map((c) => path.basename(c.file))));
  return [path.resolve(file), ...charts.map((c) => c.file)];
}

export function curveChart(result: EvaluationResult, metric: MetricName, title: string): string {
  const series = result.results.map((r) => ({ name: r.model, points: r.curve.map((point) => ({ x: point.k, y: point.mean[metric] })) }));
  return lineChart(series, {
    title: `${title}@K, ${result.protocol} protocol${result.seeds.length > 1 ? ` (mean of ${result.seeds.length} seeds)` : ""}`,
    xLabel: "K (length of the recommendation list)",
    yLabel: `${title}@K`,
    xScale: "log",
  });
}

export function reportMarkdown(result: EvaluationResult, context: ReportContext, chartFiles: readonly string[]): string {
  const { header, rows, numeric } = resultRows(result);
  const withStd = result.seeds.length > 1;
  const ks = result.results[0]?.curve.map((p) => p.k) ?? [];
  const curveTable = (metric: MetricName) =>
    markdownTable(
      ["model", ...ks.map((k) => `K=${k}`)],
      result.results.map((r) => [r.model, ...r.curve.map((p) => metricCell(p, metric, 4, withStd))]),
      [false, ...ks.map(() => true)],
    );
  const splitLines = result.splits.map(
    (s) => `- seed ${s.seed}: ${s.trainPairs.toLocaleString("en")} train pairs, ${s.testPairs.toLocaleString("en")} test pairs, ${s.testUsers.toLocaleString("en")} users evaluated`,
  );
  return [
    `# musicrec evaluation: ${result.protocol} protocol, K = ${result.k}`,
    "",
    `Generated ${new Date().toISOString()} by \`musicrec evaluate\` in ${result.seconds.toFixed(1)} s.`,
    "",
    "## Setup",
    "",
    `- store: \`${context.store.replace(/`/g, "'")}\`, ${context.level} level, k-core: users with ≥ ${context.minUserItems} items, items with ≥ ${context.minItemUsers} users`,
    `- ${result.users.toLocaleString("en")} users × ${result.items.toLocaleString("en")} items after the k-core`,
    `- protocol **${result.protocol}**: ${result.description}`,
    `- seeds: ${result.seeds.join(", ")}${withStd ? " (values are mean ± sample standard deviation over seeds)" : ""}`,
    ...splitLines,
    result.includePlayed
      ? "- every catalogue item, including the user's own train items, is ranked for every user with at least one test item"
      : "- every catalogue item is ranked for every user with at least one test item; the user's train items are excluded",
    "",
    `## Results at K = ${result.k}`,
    "",
    markdownTable(header, rows, numeric),
    "",
    "## NDCG and recall against K",
    "",
    ...chartFiles.map((file, i) => `![${CURVES[i].title}@K by model](${encodeURI(file)})`),
    "",
    "NDCG@K:",
    "",
    curveTable("ndcg"),
    "",
    "Recall@K:",
    "",
    curveTable("recall"),
    "",
    "## Metrics",
    "",
    "- **P@K** hits in the top K / K; **R@K** hits / the user's test items.",
    "- **NDCG@K** binary-gain DCG over the ideal DCG of min(test items, K) hits; **MAP@K** mean of the precision at each hit over min(test items, K).",
    "- **HR@K** share of users with at least one hit; **MRR@K** mean of 1 / rank of the first hit (0 without one).",
    "- **Cov@K** share of the catalogue recommended to at least one user; **Nov@K** mean self-information −log2(share of train users who played the item) of the recommended items, in bits.",
    "",
  ].join("\n");
}
