import { describe, expect, it } from "vitest";
import { timelineOf } from "../../src/serving/timeline.js";

describe("timelineOf", () => {
  it("fills days without plays with zero columns", () => {
    const timeline = timelineOf([
      { day: "2021-01-03", plays: 2 },
      { day: "2021-01-01", plays: 5 },
    ]);
    expect(timeline.unit).toBe("day");
    expect(timeline.columns).toEqual([
      { label: "2021-01-01", value: 5 },
      { label: "2021-01-02", value: 0 },
      { label: "2021-01-03", value: 2 },
    ]);
  });

  it("sums long spans into ISO weeks (labelled by Monday) or months", () => {
    const weeks = timelineOf([
      { day: "2021-01-06", plays: 1 }, // Wednesday of the week of Monday 2021-01-04
      { day: "2021-01-10", plays: 2 }, // Sunday, same week
      { day: "2021-12-27", plays: 4 }, // a Monday
    ]);
    expect(weeks.unit).toBe("week");
    expect(weeks.columns[0]).toEqual({ label: "2021-01-04", value: 3 });
    expect(weeks.columns.at(-1)).toEqual({ label: "2021-12-27", value: 4 });
    expect(weeks.columns.reduce((sum, c) => sum + c.value, 0)).toBe(7);

    const months = timelineOf([
      { day: "2015-03-30", plays: 1 },
      { day: "2021-02-01", plays: 2 },
    ]);
    expect(months.unit).toBe("month");
    expect(months.columns[0]).toEqual({ label: "2015-03", value: 1 });
    expect(months.columns.at(-1)).toEqual({ label: "2021-02", value: 2 });
    expect(months.columns).toHaveLength(6 * 12) // March 2015 .. February 2021;
  });

  it("is empty without dated plays", () => {
    expect(timelineOf([])).toEqual({ unit: "day", columns: [] });
  });
});
