/** "Try your own history": the upload form and, after an upload, recommendations by fold-in. */
import { FORMAT_NAMES } from "../../ingest/formats.js";
import { describeRejects, type RejectReport } from "../../ingest/rejects.js";
import { escapeHtml } from "../../util/html.js";
import { formatCount } from "../../charts/format.js";
import type { FoldInResult, RecommendationView } from "../../service/recommendation-service.js";
import type { ModelInfo } from "../../service/model-info.js";
import { formatBytes } from "../../util/format-bytes.js";
import type { UploadLimits } from "../upload-limits.js";
import { CSRF_FIELD, TOKEN_FIELD, type WriteFormFields } from "../write-access.js";
import { modelColumns } from "./recommendation-list.js";

const FORMAT_LABELS: Record<(typeof FORMAT_NAMES)[number], string> = {
  kaggle: "Kaggle Last.fm dataset (CSV)",
  "lastfm-export": "Last.fm scrobble export (CSV)",
  "lastfm-api": "Last.fm / Libre.fm recent tracks, saved API pages (JSON)",
  hetrec: "HetRec 2011 (user_artists.dat)",
  lfm1k: "Last.fm 1K (TSV)",
  lfm360k: "Last.fm 360K (TSV)",
  listenbrainz: "ListenBrainz listens (JSON / JSON lines)",
  "listenbrainz-api": "ListenBrainz listens, saved API responses (JSON)",
  spotify: "Spotify extended streaming history (JSON)",
  librefm: "Libre.fm export (CSV)",
  maloja: "Maloja export (JSON)",
  panoscrobbler: "Pano Scrobbler export (JSON lines)",
  "listenbrainz-feedback": "ListenBrainz loved/hated recordings (feedback.jsonl)",
  "listenbrainz-export": "ListenBrainz account export (zip)",
};

export interface UploadOutcome {
  fileName: string;
  format: string;
  /** Distinct items (or artists) in the file. */
  rows: number;
  plays: number;
  rejected: RejectReport;
  foldIn: FoldInResult;
  /** The fold-in's results per model, with each model's title and description. */
  columns: { model: ModelInfo; items: RecommendationView[] }[];
  /** Summary of adding the file to the store, when the user asked for it. */
  stored: string | null;
}

/** Listeners offered in the select when a multi-user file was uploaded without naming one. */
const MAX_LISTENER_OPTIONS = 500;

/**
 * @param listeners when the last upload held several listeners' histories: they are offered in a
 *   select (the upload must name one; histories are never merged).
 */
export function uploadPage(
  outcome: UploadOutcome | null,
  error: string | null,
  limits: UploadLimits,
  write: WriteFormFields,
  listeners: string[] = [],
): string {
  const message = error
    ? `<div class="notice ${listeners.length > 0 ? "warn" : "error"}" role="alert"><strong>${listeners.length > 0 ? "Whose history?" : "Upload failed."}</strong> ${escapeHtml(error)}</div>`
    : "";
  return `
<h1>Try your own history</h1>
<p class="lead">Upload a listening history export and get recommendations from every model right away — by fold-in, without retraining.
The file is read and then discarded: nothing is added to the store unless you tick the box.</p>
${message}
${outcome ? results(outcome) : ""}
<div class="upload-layout">
<form class="panel upload-form" action="/upload" method="post" enctype="multipart/form-data">
  <div class="field"><label for="history">Export file</label><input id="history" name="history" type="file" required>
    <p class="hint">Up to ${formatBytes(limits.bytes)} and ${formatCount(limits.lines)} lines. Last.fm and Libre.fm CSV exports, the Kaggle Last.fm CSV, the ListenBrainz export zip or listens JSON, Spotify, Maloja and Pano Scrobbler JSON, Last.fm 1K TSV; UTF-8, UTF-16 or Windows-1252, comma or semicolon.</p></div>
  <div class="field"><label for="format">Format</label><select id="format" name="format">
    <option value="">Detect automatically</option>
    ${FORMAT_NAMES.map((f) => `<option value="${f}">${escapeHtml(FORMAT_LABELS[f])}</option>`).join("")}
  </select></div>
  ${listenerField(listeners)}
  ${storeFields(write)}
  <div><button type="submit">Get recommendations</button></div>
</form>
<aside class="panel">
  <h2>Where to get an export</h2>
  <ul class="model-list">
    <li><strong>Last.fm</strong>: a scrobble CSV from an exporter such as <em>lastfm-to-csv</em> (artist, album, track, date).</li>
    <li><strong>ListenBrainz</strong>: Settings → Export your data (the zip; upload it as it is).</li>
    <li><strong>Libre.fm</strong>: its CSV export of your scrobbles.</li>
    <li><strong>Maloja</strong>: <code>maloja export</code> (JSON); <strong>Pano Scrobbler</strong>: its "scrobble to a file" JSONL.</li>
    <li><strong>Spotify</strong>: Account → Privacy → Extended streaming history (the <code>Streaming_History_Audio_*.json</code> files; plays under 30 s count as skips).</li>
  </ul>
  <p class="muted small">Matching is by artist and track name, ignoring case and spacing; plays of items the models have never seen are counted as unmatched.</p>
</aside>
</div>`;
}

/** The "add to the store" part of the form: a write, so it carries a CSRF token (and asks for the server's token when it has one). */
function storeFields(write: WriteFormFields): string {
  if (write.csrf === null) {
    return `<p class="hint">Adding uploads to the store is off: ${escapeHtml(write.disabledReason ?? "")}.</p>`;
  }
  const token = write.askToken
    ? `<div class="field"><label for="write-token">Write token <span class="muted">(needed to add to the store)</span></label><input id="write-token" name="${TOKEN_FIELD}" type="password" autocomplete="current-password" maxlength="500"></div>`
    : "";
  return `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(write.csrf)}">
  <label class="check"><input type="checkbox" name="store" value="yes"> Also add this history to the store (it joins the models at the next training, then the server switches to them)</label>
  ${token}`;
}

function listenerField(listeners: string[]): string {
  if (listeners.length === 0) {
    return `<div class="field"><label for="upload-user">Listener name <span class="muted">(optional)</span></label><input id="upload-user" name="user" type="text" maxlength="200" autocomplete="off">
    <p class="hint">The name a single-person export is stored under if you add it to the store (default: taken from the file name); for a file of several listeners, the one to use.</p></div>`;
  }
  const options = listeners.slice(0, MAX_LISTENER_OPTIONS).map((name) => `<option value="${escapeHtml(name)}">${escapeHtml(name)}</option>`);
  return `<div class="field"><label for="upload-user">Listener</label><select id="upload-user" name="user" required>${options.join("")}</select>
    <p class="hint">The file holds ${formatCount(listeners.length)} listeners${listeners.length > MAX_LISTENER_OPTIONS ? ` (the first ${MAX_LISTENER_OPTIONS} are listed)` : ""}: choose one and choose the file again.</p></div>`;
}

function results(outcome: UploadOutcome): string {
  const { foldIn, rejected } = outcome;
  const rejectNote =
    rejected.count > 0
      ? `<div class="notice warn">Some lines could not be read and were skipped: ${escapeHtml(describeRejects(rejected))}.</div>`
      : "";
  const matchNote =
    foldIn.matched === 0
      ? `<div class="notice warn">None of the ${formatCount(outcome.rows)} items in the file is in the catalogue the models were trained on, so the models can only suggest popular items.</div>`
      : "";
  const stored = outcome.stored ? `<div class="notice">${escapeHtml(outcome.stored)}</div>` : "";
  return `
<section class="panel upload-summary">
  <h2>${escapeHtml(outcome.fileName)}</h2>
  <p>Read as <strong>${escapeHtml(outcome.format)}</strong>: ${formatCount(outcome.plays)} plays of ${formatCount(outcome.rows)} items;
  ${formatCount(foldIn.matched)} matched the catalogue, ${formatCount(foldIn.unmatched)} did not.</p>
</section>
${rejectNote}${matchNote}${stored}
${modelColumns(outcome.columns)}
<h2 class="section-heading">Upload another file</h2>`;
}
