/** A listener's page: controls, the model columns side by side, and the listener's profile. */
import { escapeHtml } from "../../util/html.js";
import { barChart, type Bar } from "../../charts/bar-chart.js";
import { columnChart, type Column } from "../../charts/column-chart.js";
import { formatCount } from "../../charts/format.js";
import { MAX_K } from "../api-schemas.js";
import type { RecommendationView } from "../../service/recommendation-service.js";
import type { ModelInfo } from "../../service/model-info.js";
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
  libraryOnly: boolean;
  /** Readable files of the local library (the "only my library" control shows when there are any). */
  libraryFiles: number;
  /** The model the playlist downloads use. */
  defaultModel: string;
  results: { model: ModelInfo; items: RecommendationView[] }[];
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
${data.libraryFiles > 0 ? `  <label class="check"><input type="checkbox" name="libraryOnly" value="true"${data.libraryOnly ? " checked" : ""}> Only tracks in my library</label>\n` : ""}  <button type="submit">Update</button>
  <a class="button secondary" href="/">Another listener</a>
</form>
${playlistDownloads(data)}
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

export const PLAYLIST_LINKS = [
  { format: "jspf", label: "JSPF", title: "ListenBrainz playlist (tracks with a MusicBrainz id)" },
  { format: "xspf", label: "XSPF", title: "Playlist for players such as VLC" },
  { format: "m3u8", label: "M3U8", title: "Playlist of your local files" },
] as const;

/** Download links for the listener's recommendations as playlist files, with the page's options. */
function playlistDownloads(data: RecommendationsPageData): string {
  const query = new URLSearchParams({ k: String(data.k) });
  if (data.onePerArtist) query.set("perArtist", "1");
  if (data.newArtistsOnly) query.set("newArtistsOnly", "true");
  if (data.libraryOnly) query.set("libraryOnly", "true");
  const base = `/api/users/${encodeURIComponent(data.user)}/playlist`;
  const links = PLAYLIST_LINKS.filter((l) => l.format !== "m3u8" || data.libraryFiles > 0).map((l) => {
    query.set("format", l.format);
    return `<a class="button secondary" href="${escapeHtml(`${base}?${query}`)}" download title="${escapeHtml(l.title)}">${l.label}</a>`;
  });
  return `<p class="panel playlist-downloads">Download as a playlist (${escapeHtml(data.defaultModel)}): ${links.join(" ")}</p>`;
}
