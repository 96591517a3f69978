import { describe, expect, it } from "vitest";
import { lineChart, niceTicks } from "../../src/charts/line-chart.js";

const series = [
  { name: "svd", points: [{ x: 1, y: 0.1 }, { x: 5, y: 0.2 }, { x: 10, y: 0.25 }] },
  { name: "<script>alert('x')</script> & co", points: [{ x: 10, y: 0.05 }, { x: 1, y: 0.01 }] },
];

describe("niceTicks", () => {
  it("uses 1/2/5 steps covering the range", () => {
    expect(niceTicks(0, 0.23)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 87)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0, 87, 2)).toEqual([0, 50, 100]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});

describe("lineChart", () => {
  const svg = lineChart(series, { title: "NDCG@K <by model>", xLabel: "K", yLabel: "NDCG", xScale: "log" });

  it("draws one polyline per series with a marker per point and a legend entry", () => {
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(5);
    expect(svg.match(/class="chart-legend"/g)).toHaveLength(2);
    expect(svg).toContain(">svd<");
  });

  it("cuts long legend names with an ellipsis and keeps the full name in a tooltip", () => {
    const long = "a very long series name that would not fit";
    const chart = lineChart([{ name: long, points: [{ x: 1, y: 1 }] }], { title: "t", legendChars: 10 });
    expect(chart).toContain(`<title>${long}</title>a very lo…</text>`);
  });

  it("escapes every piece of text", () => {
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co");
    expect(svg).toContain('aria-label="NDCG@K &lt;by model&gt;"');
  });

  it("labels the x ticks with the data's x values and the y ticks with nice values", () => {
    for (const x of ["1", "5", "10"]) expect(svg).toContain(`>${x}</text>`);
    expect(svg).toContain(">0.25</text>");
  });

  it("places points by the x scale: log puts 5 past the middle of 1..10, linear before it", () => {
    const xOf = (chart: string) => [...chart.matchAll(/<circle [^>]*cx="([\d.]+)"/g)].map((m) => Number(m[1])).slice(0, 3);
    const [a, b, c] = xOf(svg);
    expect((b - a) / (c - a)).toBeCloseTo(Math.log(5) / Math.log(10), 2);
    const [la, lb, lc] = xOf(lineChart(series, { title: "t" }));
    expect((lb - la) / (lc - la)).toBeCloseTo(4 / 9, 2);
  });

  it("says so when there is no data", () => {
    expect(lineChart([], { title: "empty" })).toContain("No data");
  });
});
