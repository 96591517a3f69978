/**
 * "Is this the same song?" across spellings and versions: a looser key than item-key.ts (which
 * only folds case and whitespace and decides catalogue identity). Two tags or catalogue entries
 * with the same song key are one song for library matching and near-duplicate detection (a radio
 * never plays two versions of one song):
 *  - case, accents and punctuation are ignored ("Beyoncé" = "Beyonce", "AC/DC" = "ACDC"),
 *    "&" and "+" read as "and";
 *  - a leading "The " of the artist is dropped ("The Beatles" = "Beatles");
 *  - featured artists are dropped from artist and title ("feat.", "ft.", "featuring", in
 *    brackets or not);
 *  - version suffixes of the title are dropped: bracketed or after " - ", any part that names a
 *    version ("Remastered 2011", "2009 Remaster", "(Live)", "[Live at Wembley]", "Radio Edit",
 *    "Mono", "Single Version", "Demo", "Acoustic", "Deluxe Edition", "Bonus Track", ...).
 *    Remixes stay distinct: a remix is usually a different track.
 */

/** What marks a bracketed or dashed title suffix as a version of the same song. */
const VERSION_WORDS =
  /^(live|instrumental|mono|stereo|explicit|clean)\b|\b(demo|acoustic|unplugged|re-?master(ed)?|radio edit|single edit|album edit|version|deluxe|edition|bonus track|anniversary|take \d+|sessions?|\d{4} mix|mix \d{4}|original mix|extended mix)\b/;
const FEATURING = /\s*[([]?\s*\b(feat\.?|ft\.?|featuring)\s[^)\]]*[)\]]?/gi;
const BRACKETED = /\s*[([]([^)\]]*)[)\]]/g;
const DASHED_SUFFIX = /\s+[-–—]\s+(.*)$/;

/** Accents off, lowercase, "&" as "and", punctuation as space, spaces collapsed. */
function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/\s*[&+]\s*/g, " and ")
    .replace(/['’`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

function artistPart(artist: string): string {
  const folded = fold(artist.replace(FEATURING, ""));
  return folded.startsWith("the ") && folded.length > 4 ? folded.slice(4) : folded;
}

function titlePart(title: string): string {
  let text = title.replace(FEATURING, "");
  text = text.replace(BRACKETED, (whole, inside: string) => (VERSION_WORDS.test(inside.toLowerCase()) ? "" : whole));
  // Repeated: "Song - Live - 2011 Remaster".
  for (let suffix = DASHED_SUFFIX.exec(text); suffix && VERSION_WORDS.test(suffix[1].toLowerCase()); suffix = DASHED_SUFFIX.exec(text)) {
    text = text.slice(0, suffix.index);
  }
  const folded = fold(text);
  // A title that is only a version word ("Live") keeps it rather than becoming empty.
  return folded === "" ? fold(title) : folded;
}

/**
 * The song key of an artist and title (null title: an artist-level key). Equal keys mean the
 * same song in another spelling or version.
 */
export function songKey(artist: string, title: string | null): string {
  const artistKey = artistPart(artist);
  return title == null ? artistKey : `${artistKey}\u001f${titlePart(title)}`;
}
