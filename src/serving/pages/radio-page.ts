/** The radio page: seeds picked as you type, an optional listener, the mix in play order and its playlist downloads. */
import { escapeHtml } from "../../util/html.js";
import { MAX_K } from "../api-schemas.js";
import type { ModelInfo } from "../../service/model-info.js";
import type { RadioView } from "../../service/radio.js";
import { itemTitle } from "./recommendation-list.js";
import { discoveryDial, PLAYLIST_LINKS } from "./recommendations-page.js";

export interface RadioPageData {
  /** The seeds as typed (kept in the form). */
  seeds: string[];
  /** The listener whose taste is blended in ("" for none). */
  user: string;
  k: number;
  model: string;
  models: readonly ModelInfo[];
  libraryOnly: boolean;
  /** The familiar ↔ new dial (with a listener), null when off. */
  discovery: number | null;
  /** Readable files of the local library (the "only my library" control shows when there are any). */
  libraryFiles: number;
  radio: RadioView | null;
  /** Why there is no radio (an unknown seed or listener, with suggestions). */
  error: string | null;
}

export function radioPage(data: RadioPageData): string {
  const error = data.error ? `<div class="notice error" role="alert">${escapeHtml(data.error)}</div>` : "";
  return `
<h1>Radio</h1>
<p class="lead">Name a track or an artist: the mix starts right next to it and drifts from there — never the same artist twice in a row, at most a few tracks of one artist, one version of each song. Add a listener to bend it to their taste.</p>
${form(data)}
${error}
${data.radio ? results(data) : ""}`;
}

function form(data: RadioPageData): string {
  // The seeds typed so far, and one more empty field to add a seed.
  const seeds = [...data.seeds, ""];
  const seedFields = seeds.map((seed, n) =>
    combo({
      id: `seed-${n + 1}`,
      name: "seed",
      label: n === 0 ? "Seed track or artist" : "Another seed (optional)",
      value: seed,
      required: n === 0,
      placeholder: n === 0 ? "Artist - Track, or Artist" : "",
      picker: "data-seed-picker",
      listLabel: "Matching artists and tracks",
    }),
  );
  const models = data.models
    .map((m) => `<option value="${escapeHtml(m.name)}"${m.name === data.model ? " selected" : ""}>${escapeHtml(m.title)}</option>`)
    .join("");
  const library =
    data.libraryFiles > 0
      ? `<label class="check"><input type="checkbox" name="libraryOnly" value="true"${data.libraryOnly ? " checked" : ""}> Only tracks in my library</label>`
      : "";
  return `
<form class="panel picker radio-form" action="/radio" method="get" role="search">
  ${seedFields.join("\n  ")}
  ${combo({ id: "radio-user", name: "user", label: "Listener (optional)", value: data.user, required: false, placeholder: "Blend in a listener's taste", picker: "data-user-picker", listLabel: "Matching listeners" })}
  <div class="controls">
    <div class="field"><label for="k">How many</label><input id="k" name="k" type="number" min="1" max="${MAX_K}" value="${data.k}"></div>
    <div class="field"><label for="radio-model">Model</label><select id="radio-model" name="model">${models}</select></div>
    ${discoveryDial(data.discovery, "artists the listener knows")}
    ${library}
    <button type="submit">Play radio</button>
  </div>
  <p class="hint">Type part of a name; use ↑ ↓ and Enter to choose. Several seeds take turns in the mix.</p>
</form>`;
}

interface ComboField {
  id: string;
  name: string;
  label: string;
  value: string;
  required: boolean;
  placeholder: string;
  picker: "data-seed-picker" | "data-user-picker";
  listLabel: string;
}

/** A search-as-you-type text field (the client script's ARIA combobox). */
function combo(field: ComboField): string {
  return `<div class="field">
    <label for="${field.id}">${escapeHtml(field.label)}</label>
    <div class="combo">
      <input id="${field.id}" name="${field.name}" type="text"${field.required ? " required" : ""} autocomplete="off" spellcheck="false"
        value="${escapeHtml(field.value)}" placeholder="${escapeHtml(field.placeholder)}" ${field.picker}
        role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="${field.id}-listbox">
      <ul id="${field.id}-listbox" class="listbox" role="listbox" aria-label="${escapeHtml(field.listLabel)}" hidden></ul>
    </div>
    <p id="${field.id}-status" class="visually-hidden" role="status" aria-live="polite"></p>
  </div>`;
}

function results(data: RadioPageData): string {
  const radio = data.radio as RadioView;
  const seeds = radio.seeds.map((s) => `<strong>${escapeHtml(s.label)}</strong>`).join(", ");
  const forUser = radio.user ? ` for ${escapeHtml(radio.user)}` : "";
  const list =
    radio.items.length === 0
      ? `<p class="empty">No item keeps the radio's rules with these settings.</p>`
      : `<ol class="rec-list radio-list">${radio.items.map((r) => `<li>${itemTitle(r.item)}</li>`).join("")}</ol>`;
  const short = radio.items.length > 0 && radio.items.length < radio.k ? `<p class="muted small">Only ${radio.items.length} of ${radio.k}: no further item keeps the rules.</p>` : "";
  return `
<section class="panel radio-result" data-model="${escapeHtml(radio.model)}">
  <h2>Radio from ${seeds}${forUser}</h2>
  <p class="muted small">${escapeHtml(radio.model)} similarities; at most ${radio.perArtist} per artist${radio.user ? `; nothing ${escapeHtml(radio.user)} banned` : ""}. Each item links to its similar items.</p>
  ${downloads(data)}
  ${list}
  ${short}
</section>`;
}

/** Download links for the mix as playlist files, with the page's options. */
function downloads(data: RadioPageData): string {
  const radio = data.radio as RadioView;
  const query = new URLSearchParams();
  for (const seed of data.seeds) query.append("seed", seed);
  query.set("k", String(radio.k));
  query.set("model", radio.model);
  if (radio.user) query.set("user", radio.user);
  if (radio.discovery !== null) query.set("discovery", String(radio.discovery));
  if (radio.libraryOnly) query.set("libraryOnly", "true");
  const links = PLAYLIST_LINKS.filter((l) => l.format !== "m3u8" || data.libraryFiles > 0).map((l) => {
    query.set("format", l.format);
    return `<a class="button secondary" href="${escapeHtml(`/api/radio/playlist?${query}`)}" download title="${escapeHtml(l.title)}">${l.label}</a>`;
  });
  return `<p class="playlist-downloads">Download as a playlist: ${links.join(" ")}</p>`;
}
