/**
 * Item identity: two spellings that differ only in case, Unicode composition or whitespace are
 * the same artist / track. The TypeScript functions and the SQL expressions below implement the
 * SAME normalisation (NFC, lowercase, whitespace runs -> one space, trimmed); the import computes
 * keys in SQL, callers matching uploaded histories use the TypeScript side.
 */

/** Exactly the characters JavaScript's `\s` matches, listed literally so RE2 (DuckDB) agrees. */
const WHITESPACE_CLASS = "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]";
const WHITESPACE_RUNS = new RegExp(`${WHITESPACE_CLASS}+`, "g");

/** Separates the artist and track parts of a track key. */
export const KEY_SEPARATOR = "\u001f";

/**
 * DuckDB's lower() maps characters one by one; JavaScript's toLowerCase() applies two
 * special casings (final sigma, dotted capital I) that would make the keys disagree.
 */
function lowerLikeDuckDb(text: string): string {
  return text.replace(/Σ/g, "σ").replace(/İ/g, "i").toLowerCase();
}

export function normalizeName(text: string): string {
  return lowerLikeDuckDb(text.normalize("NFC")).replace(WHITESPACE_RUNS, " ").trim();
}

export function artistKey(artist: string): string {
  return normalizeName(artist);
}

/** Track-level key (artist + track); an artist-level item (track null) is keyed by its artist. */
export function itemKey(artist: string, track: string | null): string {
  return track == null ? artistKey(artist) : `${artistKey(artist)}${KEY_SEPARATOR}${normalizeName(track)}`;
}

/** SQL expression normalising a VARCHAR expression exactly like normalizeName. */
export function normalizeNameSql(expression: string): string {
  return `trim(regexp_replace(lower(nfc_normalize(${expression})), '${WHITESPACE_CLASS}+', ' ', 'g'))`;
}

/** Code points of WHITESPACE_CLASS, for a cheap first-character test before the regex. */
const WHITESPACE_CODE_POINTS = [9, 10, 11, 12, 13, 32, 0xa0, 0x1680, ...Array.from({ length: 11 }, (_, i) => 0x2000 + i), 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff];

/**
 * SQL: true when a VARCHAR is NULL, empty or whitespace only — exactly when its normalised key
 * would be empty. The regex only runs on values that start with whitespace.
 */
export function isBlankSql(column: string): string {
  return `(${column} IS NULL OR ${column} = '' OR (ascii(${column}) IN (${WHITESPACE_CODE_POINTS.join(", ")}) AND regexp_full_match(${column}, '${WHITESPACE_CLASS}*')))`;
}

/** SQL expression for itemKey(artist, track) over two VARCHAR expressions (track may be NULL). */
export function itemKeySql(artist: string, track: string): string {
  return `CASE WHEN ${track} IS NULL THEN ${normalizeNameSql(artist)} ELSE ${normalizeNameSql(artist)} || chr(31) || ${normalizeNameSql(track)} END`;
}

const NAME_SEPARATORS = [" - ", " – "];

/**
 * The item keys a text may stand for, most literal first: the key itself, an artist's name, or
 * "Artist - Track" (or "Artist – Track") split at any separator, as artist and track names can
 * contain one.
 */
export function keysNamedBy(text: string): string[] {
  const keys = [text, artistKey(text)];
  for (const separator of NAME_SEPARATORS) {
    for (let at = text.indexOf(separator); at >= 0; at = text.indexOf(separator, at + 1)) {
      keys.push(itemKey(text.slice(0, at), text.slice(at + separator.length)));
    }
  }
  return keys;
}
