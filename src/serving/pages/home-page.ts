/** Home: the search-as-you-type user picker (an ARIA combobox, enhanced by the client script). */
import { escapeHtml } from "../../util/html.js";
import { formatCount } from "../../charts/format.js";
import { userPageUrl } from "../page-urls.js";
import type { ModelInfo } from "../../service/model-info.js";

export interface HomeData {
  users: number;
  items: number;
  level: "track" | "artist";
  models: readonly ModelInfo[];
  /** A few of the most active users, offered as one-click examples. */
  exampleUsers: readonly string[];
}

export function homePage(data: HomeData): string {
  const examples = data.exampleUsers
    .map((user) => `<li><a href="${escapeHtml(userPageUrl(user))}">${escapeHtml(user)}</a></li>`)
    .join("");
  const models = data.models.map((m) => `<li><strong>${escapeHtml(m.title)}</strong> — ${escapeHtml(m.description)}</li>`).join("");
  return `
<div class="hero">
  <section class="panel">
    <h1>Find music for a listener</h1>
    <p class="lead">Pick one of the ${formatCount(data.users)} listeners and compare what each model recommends from ${formatCount(data.items)} ${data.level === "track" ? "tracks" : "artists"}, with the reason for every pick.</p>
    <form class="picker" action="/recommendations" method="get" role="search">
      <label for="user-picker">Listener</label>
      <div class="picker-row">
        <div class="combo">
          <input id="user-picker" name="user" type="text" required autocomplete="off" spellcheck="false"
            placeholder="Start typing a name…" data-user-picker
            role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="user-picker-listbox" aria-describedby="user-picker-hint">
          <ul id="user-picker-listbox" class="listbox" role="listbox" aria-label="Matching listeners" hidden></ul>
        </div>
        <button type="submit">Get recommendations</button>
      </div>
      <p id="user-picker-hint" class="hint">Type part of a name; use ↑ ↓ and Enter to choose.</p>
      <p id="user-picker-status" class="visually-hidden" role="status" aria-live="polite"></p>
    </form>
    ${examples ? `<h3>Most active listeners</h3><ul class="chips">${examples}</ul>` : ""}
  </section>
  <section class="panel">
    <h2>Models</h2>
    <ul class="model-list">${models}</ul>
    <p class="muted small">No account? <a href="/upload">Upload your own listening history</a> and get recommendations without retraining. Play a <a href="/radio">radio</a> from any ${data.level === "track" ? "track or artist" : "artist"}, or explore the data on the <a href="/insights">insights</a> page.</p>
  </section>
</div>`;
}
