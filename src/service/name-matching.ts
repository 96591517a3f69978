/** "Did you mean …?" for a user or item name that matches nothing. */
import { UserError } from "../util/errors.js";

/**
 * Up to `n` candidates closest to `query`: substring matches first (closest length first), then
 * by edit distance of the name's prefix — computed only for names of similar length, so a
 * million-track catalogue stays fast.
 */
export function closeMatches(query: string, candidates: Iterable<string>, n = 5): string[] {
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

/** A 404 naming the unknown `kind` ("user", "item", "artist") with the closest known names. */
export function unknownNameError(kind: string, name: string, candidates: Iterable<string>): UserError {
  const suggestions = closeMatches(name, candidates);
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(", ")}?` : "";
  return new UserError(`unknown ${kind} "${name}"${hint}`, 404);
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
