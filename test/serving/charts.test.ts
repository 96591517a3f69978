import { describe, expect, it } from "vitest";
import { barChart } from "../../src/charts/bar-chart.js";
import { columnChart } from "../../src/charts/column-chart.js";
import { truncateLabel } from "../../src/charts/format.js";

describe("SVG charts", () => {
  it("escapes labels and scales bars to the largest value", () => {
    const svg = barChart(
      [
        { label: "<script>alert(1)</script>", value: 10 },
        { label: "Half", value: 5 },
      ],
      { title: "Top & more", width: 400 },
    );
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
    expect(svg).toContain('aria-label="Top &amp; more"');
    const widths = [...svg.matchAll(/<rect[^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths[1]).toBeCloseTo(widths[0] / 2, 0);
    expect(svg).not.toMatch(/style=/);
  });

  it("draws one column per period and labels a few of them", () => {
    const columns = Array.from({ length: 30 }, (_, i) => ({ label: `2021-01-${String(i + 1).padStart(2, "0")}`, value: i }));
    const svg = columnChart(columns, { title: "Plays per day", ticks: 5 });
    expect(svg.match(/<rect /g)).toHaveLength(30);
    expect(svg.match(/class="chart-tick"[^>]*text-anchor="(start|middle)"/g)?.length).toBeLessThanOrEqual(6);
    expect(columnChart([], { title: "none" })).toContain("No dated plays");
  });

  it("truncates long labels by code point", () => {
    expect(truncateLabel("Sigur Rós – Hoppípolla", 10)).toBe("Sigur Rós…");
    expect(truncateLabel("short", 10)).toBe("short");
  });
});
