/** The side-by-side model columns of recommendations, shared by the user and upload result pages. */
import { escapeHtml } from "../../util/html.js";
import type { ItemView, ReasonView } from "../../service/item-view.js";
import { similarPageUrl } from "../page-urls.js";
import type { ModelInfo } from "../../service/model-info.js";
import type { RecommendationView } from "../../service/recommendation-service.js";

/** "Artist – Track (Album)" with the parts marked up; the whole title links to similar items. */
export function itemTitle(item: ItemView): string {
  const track = item.track == null ? "" : ` – <span class="track">${escapeHtml(item.track)}</span>`;
  const album = item.album ? ` <span class="rec-album">(${escapeHtml(item.album)})</span>` : "";
  return `<a class="rec-title" href="${escapeHtml(similarPageUrl(item.key))}" title="Similar to this">${escapeHtml(item.artist)}${track}</a>${album}`;
}

/** "because you played A, B and C". */
export function reasonText(because: readonly ReasonView[]): string {
  if (because.length === 0) return "";
  const names = because.map((item) => `<span class="reason-item">${escapeHtml(item.label)}</span>`);
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return `<div class="rec-reason">because you played ${list}</div>`;
}

/** Controls shown under each recommendation (the listener's "not for me" buttons). */
export type ItemActions = (item: ItemView) => string;

export function recommendationList(items: readonly RecommendationView[], emptyMessage: string, actions?: ItemActions): string {
  if (items.length === 0) return `<p class="empty">${escapeHtml(emptyMessage)}</p>`;
  const rows = items.map((r) => `<li>${itemTitle(r.item)}${reasonText(r.because)}${actions ? actions(r.item) : ""}</li>`);
  return `<ol class="rec-list">${rows.join("")}</ol>`;
}

export function modelColumns(results: readonly { model: ModelInfo; items: readonly RecommendationView[] }[], actions?: ItemActions): string {
  const columns = results.map(({ model: info, items }) => {
    const model = escapeHtml(info.name);
    return (
      `<section class="panel model-column" data-model="${model}" aria-labelledby="col-${model}">` +
      `<h2 id="col-${model}">${escapeHtml(info.title)}</h2>` +
      `<p class="muted small">${escapeHtml(info.description)}</p>` +
      recommendationList(items, "No recommendations with these settings.", actions) +
      `</section>`
    );
  });
  return `<div class="grid grid-models">${columns.join("")}</div>`;
}
