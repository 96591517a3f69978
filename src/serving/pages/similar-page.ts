/** Items similar to one item, a column per model. */
import { escapeHtml } from "../../util/html.js";
import type { ItemView } from "../../service/item-view.js";
import type { ModelInfo } from "../../service/model-info.js";
import type { SimilarView } from "../../service/recommendation-service.js";
import { radioPageUrl } from "../page-urls.js";
import { itemTitle } from "./recommendation-list.js";

export interface SimilarPageData {
  item: ItemView;
  results: { model: ModelInfo; items: SimilarView[] }[];
}

export function similarPage(data: SimilarPageData): string {
  const columns = data.results.map(({ model: info, items }) => {
    const list =
      items.length === 0
        ? `<p class="empty">No similar items.</p>`
        : `<ol class="rec-list">${items.map((s) => `<li>${itemTitle(s.item)}<div class="rec-reason">score ${s.score.toFixed(3)}</div></li>`).join("")}</ol>`;
    return (
      `<section class="panel model-column" data-model="${escapeHtml(info.name)}"><h2>${escapeHtml(info.title)}</h2>` +
      `<p class="muted small">${escapeHtml(info.description)}</p>${list}</section>`
    );
  });
  const album = data.item.album ? ` <span class="muted">(${escapeHtml(data.item.album)})</span>` : "";
  return `
<h1>Similar to ${escapeHtml(data.item.label)}${album}</h1>
<p class="lead">What each model considers closest to this ${data.item.track == null ? "artist" : "track"}. Click any item to continue exploring,
or <a href="${escapeHtml(radioPageUrl(data.item.label))}">play a radio from it</a>.</p>
<div class="grid grid-models">${columns.join("")}</div>`;
}
