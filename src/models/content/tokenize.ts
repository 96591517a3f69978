/**
 * Tokenisation identical to scikit-learn's default analyzer: lowercase the text, then take every
 * match of the Unicode pattern \b\w\w+\b. Python's \w is "alphanumeric or underscore", where
 * alphanumeric means a letter (Lu, Ll, Lt, Lm, Lo) or a numeric character (Nd, Nl, No) — note
 * combining marks are NOT word characters, unlike JavaScript's \p{Alphabetic}. A greedy run of
 * word characters bounded by non-word characters is exactly a maximal run, hence the pattern.
 */
import { ENGLISH_STOP_WORDS } from "./stop-words.js";

const TOKEN = /[\p{L}\p{N}_]{2,}/gu;
// For pure-ASCII text the same rule without Unicode tables (much faster, identical result).
const ASCII_TOKEN = /[a-z0-9_]{2,}/g;
const NON_ASCII = /[^\x00-\x7f]/;

export function tokenize(text: string): string[] {
  const lower = text.toLowerCase();
  return lower.match(NON_ASCII.test(lower) ? TOKEN : ASCII_TOKEN) ?? [];
}

/** Tokens with scikit-learn's English stop words removed (stop_words="english"). */
export function contentTokens(text: string): string[] {
  return tokenize(text).filter((token) => !ENGLISH_STOP_WORDS.has(token));
}
