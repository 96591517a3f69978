/** A listener's page: controls, the model columns side by side, and the listener's profile. */
import { escapeHtml } from "../../util/html.js";
import { barChart, type Bar } from "../../charts/bar-chart.js";
import { columnChart, type Column } from "../../charts/column-chart.js";
import { formatCount } from "../../charts/format.js";
import { MAX_K } from "../api-schemas.js";
import type { RecommendationView } from "../../service/recommendation-service.js";
import type { ModelInfo } from "../../service/model-info.js";
import { modelColumns } from "./recommendation-list.js";
import type { OpinionEntry } from "../../service/opinion-changes.js";
import { banButtons, bansPanel, type BanFormContext } from "./ban-forms.js";

/** The "played" choices of the page: leave all out, leave out what was heard within a window, or include all. */
export const PLAYED_CHOICES = [
  { value: "", label: "Leave out everything played" },
  { value: "7d", label: "Leave out what was heard in the last 7 days" },
  { value: "30d", label: "… in the last 30 days" },
  { value: "90d", label: "… in the last 90 days" },
  { value: "365d", label: "… in the last year" },
  { value: "all", label: "Include what was played" },
] as const;
export type PlayedChoice = (typeof PLAYED_CHOICES)[number]["value"];

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
  /** The familiar ↔ new dial, null when it is off (ranking by score alone). */
  discovery: number | null;
  played: PlayedChoice;
  /** The trained data has play dates: only then do the "heard in the last …" choices mean anything. */
  datedPlays: boolean;
  libraryOnly: boolean;
  /** Readable files of the local library (the "only my library" control shows when there are any). */
  libraryFiles: number;
  /** The model the playlist downloads use. */
  defaultModel: string;
  results: { model: ModelInfo; items: RecommendationView[] }[];
  profile: ListenerProfile | null;
  /** Ban forms of the page; null when the server takes no writes or keeps no bans. */
  banForm: BanFormContext | null;
  banned: readonly OpinionEntry[];
}

/** The page's query string for its current options (links, the ban forms' way back). */
export function pageQuery(data: Pick<RecommendationsPageData, "user" | "k" | "onePerArtist" | "discovery" | "played" | "libraryOnly">): URLSearchParams {
  const query = new URLSearchParams({ user: data.user, k: String(data.k) });
  if (data.onePerArtist) query.set("perArtist", "1");
  if (data.discovery !== null) {
    query.set("dial", "on");
    query.set("discovery", String(data.discovery));
  }
  if (data.played) query.set("played", data.played);
  if (data.libraryOnly) query.set("libraryOnly", "true");
  return query;
}

/**
 * The familiar ↔ new dial: a checkbox that turns it on and the slider (sent only when on).
 * `familiar` is already-escaped HTML naming the familiar end.
 */
export function discoveryDial(discovery: number | null, familiar: string): string {
  return `<div class="field dial"><label class="check"><input type="checkbox" name="dial" value="on"${discovery !== null ? " checked" : ""}> Familiar ↔ new</label>
    <span class="dial-row"><span class="muted small">${familiar}</span><input type="range" name="discovery" min="0" max="1" step="0.1" value="${discovery ?? 0.5}" aria-label="Familiar (0) to new artists (1)"${discovery === null ? " disabled" : ""}><span class="muted small">new artists</span></span></div>`;
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
  ${discoveryDial(data.discovery, `artists ${user} knows`)}
  <div class="field"><label for="played">Already played</label><select id="played" name="played">${playedChoices(data).map((c) => `<option value="${c.value}"${c.value === data.played ? " selected" : ""}>${escapeHtml(c.label)}</option>`).join("")}</select></div>
${data.libraryFiles > 0 ? `  <label class="check"><input type="checkbox" name="libraryOnly" value="true"${data.libraryOnly ? " checked" : ""}> Only tracks in my library</label>\n` : ""}  <button type="submit">Update</button>
  <a class="button secondary" href="/">Another listener</a>
</form>
${playlistDownloads(data)}
${data.banForm ? bansPanel(data.banForm, data.banned) : ""}
${modelColumns(data.results, data.banForm ? (item) => banButtons(data.banForm!, item) : undefined)}
${data.profile ? profileSection(data.user, data.profile) : ""}`;
}

/** Undated data (HetRec) has no recent plays to leave out: only "everything played" or "include it" (and a window the URL asked for). */
function playedChoices(data: RecommendationsPageData): readonly (typeof PLAYED_CHOICES)[number][] {
  return PLAYED_CHOICES.filter((c) => data.datedPlays || c.value === "" || c.value === "all" || c.value === data.played);
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
  if (data.discovery !== null) query.set("discovery", String(data.discovery));
  if (data.played === "all") query.set("includePlayed", "true");
  else if (data.played) query.set("notHeardWithin", data.played);
  if (data.libraryOnly) query.set("libraryOnly", "true");
  const base = `/api/users/${encodeURIComponent(data.user)}/playlist`;
  const links = PLAYLIST_LINKS.filter((l) => l.format !== "m3u8" || data.libraryFiles > 0).map((l) => {
    query.set("format", l.format);
    return `<a class="button secondary" href="${escapeHtml(`${base}?${query}`)}" download title="${escapeHtml(l.title)}">${l.label}</a>`;
  });
  return `<p class="panel playlist-downloads">Download as a playlist (${escapeHtml(data.defaultModel)}): ${links.join(" ")}</p>`;
}
