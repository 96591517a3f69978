/** The dataset at a glance: counts and charts of the store (the original design's EDA). */
import { escapeHtml } from "../../util/html.js";
import { barChart, type Bar } from "../../charts/bar-chart.js";
import { columnChart, type Column } from "../../charts/column-chart.js";
import { formatCount } from "../../charts/format.js";

export interface InsightsData {
  users: number;
  items: number;
  artists: number;
  /** Listening events (scrobbles, or user–artist pairs for play-count data). */
  events: number;
  plays: number;
  /** ISO dates of the first and last dated play; null when the data has no dates. */
  firstDay: string | null;
  lastDay: string | null;
  topArtists: Bar[];
  topTracks: Bar[];
  mostActiveUsers: Bar[];
  /** Plays per period over the whole date range; empty without dates. */
  timeline: Column[];
  timelineUnit: "day" | "week" | "month";
}

export function insightsPage(data: InsightsData): string {
  const range = data.firstDay && data.lastDay ? `${escapeHtml(data.firstDay)} – ${escapeHtml(data.lastDay)}` : "undated";
  const stat = (value: string, label: string, wide = false) =>
    `<div class="stat${wide ? " wide" : ""}"><div class="value">${value}</div><div class="label">${label}</div></div>`;
  const timeline =
    data.timeline.length > 0
      ? `<section class="panel"><h2>Plays per ${data.timelineUnit}</h2>${columnChart(data.timeline, { title: `Plays per ${data.timelineUnit}`, width: 1200, height: 220, ticks: 8 })}</section>`
      : `<p class="muted">This dataset has play counts but no play dates, so there is no timeline.</p>`;
  const tracks =
    data.topTracks.length > 0
      ? `<section class="panel"><h2>Top tracks</h2>${barChart(data.topTracks, { title: "Top tracks by plays", labelChars: 34 })}</section>`
      : "";
  return `
<h1>Insights</h1>
<p class="lead">The dataset behind the recommendations.</p>
<div class="stats">
  ${stat(formatCount(data.users), "listeners")}
  ${stat(formatCount(data.items), "items")}
  ${stat(formatCount(data.artists), "artists")}
  ${stat(formatCount(data.plays), "plays")}
  ${stat(range, "date range", true)}
</div>
${timeline}
<div class="grid grid-2 spaced">
  <section class="panel"><h2>Top artists</h2>${barChart(data.topArtists, { title: "Top artists by plays" })}</section>
  ${tracks}
  <section class="panel"><h2>Most active listeners</h2>${barChart(data.mostActiveUsers, { title: "Most active listeners by plays" })}</section>
</div>`;
}
