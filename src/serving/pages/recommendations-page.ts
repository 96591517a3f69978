/** A listener's page: controls, the model columns side by side, and the listener's profile. */
import type { ModelName } from "../../models/recommender.js";
import { escapeHtml } from "../../util/html.js";
import { barChart, type Bar } from "../../charts/bar-chart.js";
import { columnChart, type Column } from "../../charts/column-chart.js";
import { formatCount } from "../../charts/format.js";
import { MAX_K } from "../api-schemas.js";
import type { RecommendationView } from "../../service/recommendation-service.js";
import { modelColumns } from "./recommendation-list.js";

/** What the page shows of a listener (mapped from the store's user profile). */
export interface ListenerProfile {
  totalPlays: number;
  distinctItems: number;
  topArtists: Bar[];
  /** Plays per period, oldest first; empty when the data has no timestamps. */
  timeline: Column[];
  timelineUnit: "day" | "week" | "month";
}

export interface RecommendationsPageData {
  user: string;
  k: number;
  onePerArtist: boolean;
  newArtistsOnly: boolean;
  results: { model: ModelName; items: RecommendationView[] }[];
  profile: ListenerProfile | null;
}

export function recommendationsPage(data: RecommendationsPageData): string {
  const user = escapeHtml(data.user);
  return `
<h1>Recommendations for ${user}</h1>
<p class="lead">Each column is one model. Items link to similar items; the grey line says which of ${user}'s plays led there.</p>
<form class="panel controls" action="/recommendations" method="get" data-auto-submit>
  <input type="hidden" name="user" value="${user}">
  <div class="field"><label for="k">How many</label><input id="k" name="k" type="number" min="1" max="${MAX_K}" value="${data.k}"></div>
  <label class="check"><input type="checkbox" name="perArtist" value="1"${data.onePerArtist ? " checked" : ""}> One track per artist</label>
  <label class="check"><input type="checkbox" name="newArtistsOnly" value="true"${data.newArtistsOnly ? " checked" : ""}> Only artists ${user} never played</label>
  <button type="submit">Update</button>
  <a class="button secondary" href="/">Another listener</a>
</form>
${modelColumns(data.results)}
${data.profile ? profileSection(data.user, data.profile) : ""}`;
}

function profileSection(user: string, profile: ListenerProfile): string {
  const name = escapeHtml(user);
  const timeline =
    profile.timeline.length > 0
      ? `<section class="panel"><h3>Plays per ${profile.timelineUnit}</h3>${columnChart(profile.timeline, { title: `Plays per ${profile.timelineUnit} of ${user}` })}</section>`
      : `<p class="muted">The data has no play dates, so there is no timeline.</p>`;
  return `
<h2 class="section-heading">Profile of ${name}</h2>
<div class="stats">
  <div class="stat"><div class="value">${formatCount(profile.totalPlays)}</div><div class="label">plays</div></div>
  <div class="stat"><div class="value">${formatCount(profile.distinctItems)}</div><div class="label">distinct items</div></div>
</div>
<div class="grid grid-2">
  <section class="panel"><h3>Top artists</h3>${barChart(profile.topArtists, { title: `Top artists of ${user}` })}</section>
  ${timeline}
</div>`;
}
