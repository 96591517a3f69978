/** What `recommend` and `similar` share: the saved bundle, a model from it, names → indices. */
import { bundleDirFor } from "../../util/config.js";
import { itemLabel, type ItemCatalog } from "../../data/interactions.js";
import { UserError } from "../../util/errors.js";
import { loadBundle, type ModelBundle } from "../../models/bundle.js";
import type { ModelName, Recommender } from "../../models/recommender.js";
import { artistKey, itemKey } from "../../data/item-key.js";

export async function openBundle(dbPath: string): Promise<ModelBundle> {
  return loadBundle(bundleDirFor(dbPath));
}

export function modelFrom(bundle: ModelBundle, name: ModelName): Recommender {
  const model = bundle.models.get(name);
  if (!model) {
    throw new UserError(`model "${name}" is not in the saved bundle (trained: ${[...bundle.models.keys()].join(", ")}); run \`musicrec train --models ${name}\``);
  }
  return model;
}

/**
 * Up to `n` candidates closest to `query`: substring matches first (closest length first), then
 * by edit distance of the name's prefix — computed only for names of similar length, so a
 * million-track catalogue stays fast.
 */
export function closeMatches(query: string, candidates: readonly string[], n = 5): string[] {
  const q = query.toLowerCase();
  const maxDistance = Math.max(2, Math.floor(q.length / 3));
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    const lower = name.toLowerCase();
    let score: number;
    if (lower.includes(q)) score = Math.abs(lower.length - q.length) / 1000;
    else if (Math.abs(lower.length - q.length) <= maxDistance) score = editDistance(q, lower);
    else continue;
    if (score <= maxDistance) scored.push({ name, score });
  }
  return scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name)).slice(0, n).map((s) => s.name);
}

export function unknownNameError(kind: string, name: string, candidates: readonly string[]): UserError {
  const suggestions = closeMatches(name, candidates);
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(", ")}?` : "";
  return new UserError(`unknown ${kind} "${name}"${hint}`, 404);
}

/**
 * The catalogue item named "Artist - Track" (any " - " may be the separator, as artist names can
 * contain one) or "Artist" for an artist-level catalogue; matching ignores case and spacing.
 */
export function findItem(catalog: ItemCatalog, name: string): number {
  const index = new Map<string, number>();
  catalog.keys.forEach((key, item) => index.set(key, item));
  const candidates = [artistKey(name)];
  for (const separator of [" - ", " – "]) {
    for (let at = name.indexOf(separator); at >= 0; at = name.indexOf(separator, at + 1)) {
      candidates.push(itemKey(name.slice(0, at), name.slice(at + separator.length)));
    }
  }
  for (const key of candidates) {
    const item = index.get(key);
    if (item !== undefined) return item;
  }
  const labels = catalog.keys.map((_, item) => itemLabel(catalog, item).replace(" – ", " - "));
  throw unknownNameError(catalog.level === "artist" ? "artist" : "item", name, labels);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
