/**
 * Plays per day as a continuous time axis for the column charts: days without plays become
 * zero columns (a gap is information), and long spans are summed into weeks or months so a
 * chart keeps a readable number of columns.
 */
import type { Column } from "../charts/column-chart.js";

export type TimelineUnit = "day" | "week" | "month";

export interface Timeline {
  unit: TimelineUnit;
  columns: Column[];
}

const DAY_MS = 86_400_000;
const MAX_DAYS = 200;
const MAX_WEEKS = 200;

/** `days` are "YYYY-MM-DD" (UTC) with their plays, in any order. */
export function timelineOf(days: readonly { day: string; plays: number }[]): Timeline {
  if (days.length === 0) return { unit: "day", columns: [] };
  const times = days.map((d) => Date.parse(`${d.day}T00:00:00Z`));
  const first = Math.min(...times);
  const last = Math.max(...times);
  const span = Math.round((last - first) / DAY_MS) + 1;
  const unit: TimelineUnit = span <= MAX_DAYS ? "day" : span <= MAX_WEEKS * 7 ? "week" : "month";
  const bucketOf = (time: number): number => {
    if (unit === "day") return Math.round((time - first) / DAY_MS);
    if (unit === "week") return Math.floor((time - mondayOf(first)) / (7 * DAY_MS));
    const a = new Date(first);
    const b = new Date(time);
    return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
  };
  const buckets = new Float64Array(bucketOf(last) + 1);
  days.forEach((d, i) => (buckets[bucketOf(times[i])] += d.plays));
  const labelOf = (bucket: number): string => {
    if (unit === "day") return isoDay(first + bucket * DAY_MS);
    if (unit === "week") return isoDay(mondayOf(first) + bucket * 7 * DAY_MS);
    const start = new Date(first);
    return isoDay(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + bucket, 1)).slice(0, 7);
  };
  return { unit, columns: Array.from(buckets, (plays, bucket) => ({ label: labelOf(bucket), value: plays })) };
}

const isoDay = (time: number): string => new Date(time).toISOString().slice(0, 10);

/** Midnight UTC of the Monday on or before `time` (ISO weeks). */
function mondayOf(time: number): number {
  const weekday = (new Date(time).getUTCDay() + 6) % 7;
  return time - weekday * DAY_MS;
}
