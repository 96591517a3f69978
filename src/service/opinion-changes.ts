/**
 * Bans and unbans by name, shared by `musicrec feedback`, the JSON API and the web app's "not for
 * me" buttons: the listener and the artist or track are looked up in the store (so a ban works
 * before the next training, and for anything ever imported), unknown names are a 404 with the
 * closest known ones, and the change is one added row (src/store/feedback.ts).
 */
import { artistKey, keysNamedBy, KEY_SEPARATOR } from "../data/item-key.js";
import {
  artistByKey,
  artistNames,
  currentOpinions,
  hasListener,
  listenerNames,
  recordOpinion,
  trackNamesOf,
  tracksByKey,
  type FeedbackScore,
  type StoredTarget,
} from "../store/feedback.js";
import type { Store } from "../store/store.js";
import { UserError } from "../util/errors.js";
import { unknownNameError } from "./name-matching.js";

/** What to ban: an artist or a track by its name ("Artist - Track"), or any item by its key (what pages carry). */
export type TargetName = { artist: string } | { track: string } | { item: string };

export interface OpinionChangeResult {
  user: string;
  action: "banned" | "unbanned";
  target: "artist" | "track";
  key: string;
  /** "Artist" or "Artist – Track". */
  label: string;
}

/** Records a ban (score −1) or an unban (score 0) of a named artist or track. */
export async function changeBan(store: Store, user: string, name: TargetName, ban: boolean): Promise<OpinionChangeResult> {
  if (!(await hasListener(store, user))) throw unknownNameError("user", user, await listenerNames(store));
  const found = await findTarget(store, name);
  const score: FeedbackScore = ban ? -1 : 0;
  await recordOpinion(store, { user, target: found.target, key: found.key, artistKey: found.artistKey, score });
  return {
    user,
    action: ban ? "banned" : "unbanned",
    target: found.target,
    key: found.key,
    label: found.track == null ? found.artist : `${found.artist} – ${found.track}`,
  };
}

/** The store's artist or track a name means (404 with close names when none). */
export async function findTarget(store: Store, name: TargetName): Promise<StoredTarget> {
  if ("artist" in name) {
    const artist = await artistByKey(store, artistKey(name.artist));
    if (!artist) throw unknownNameError("artist", name.artist, await artistNames(store));
    return artist;
  }
  if ("item" in name) {
    const cut = name.item.indexOf(KEY_SEPARATOR);
    const found = cut < 0 ? await artistByKey(store, name.item) : (await tracksByKey(store, [name.item]))[0];
    if (!found) throw new UserError(`unknown item "${name.item}"`, 404);
    return found;
  }
  const text = name.track;
  const tracks = await tracksByKey(store, keysNamedBy(text));
  if (tracks.length > 0) return tracks[0];
  // Suggest tracks of the artist the text starts with; else artists, for a text that names no known one.
  const artistKeys = keysNamedBy(text).flatMap((key) => {
    const cut = key.indexOf(KEY_SEPARATOR);
    return cut < 0 ? [] : [key.slice(0, cut)];
  });
  const candidates = await trackNamesOf(store, artistKeys);
  if (candidates.length > 0) throw unknownNameError("track", text, candidates);
  for (const key of artistKeys) {
    const artist = await artistByKey(store, key);
    if (artist) {
      throw new UserError(`the store knows no track of ${artist.artist} (play counts per artist, as in HetRec, name no tracks): ban the artist instead`, 404);
    }
  }
  if (!/ [-–] /.test(text)) {
    throw new UserError(`"${text}" names no track: write it as "Artist - Track" (or ban the artist with --ban-artist)`, 404);
  }
  throw unknownNameError("artist", text.split(/ [-–] /)[0], await artistNames(store));
}

/** One entry of a listener's feedback list. */
export interface OpinionEntry {
  target: "artist" | "track";
  key: string;
  label: string;
  source: string;
  createdAt: string | null;
}

/** A listener's current bans and loved tracks, newest first (404 for an unknown listener). */
export async function opinionsOf(store: Store, user: string): Promise<{ user: string; banned: OpinionEntry[]; loved: OpinionEntry[] }> {
  if (!(await hasListener(store, user))) throw unknownNameError("user", user, await listenerNames(store));
  const opinions = await currentOpinions(store, { user, labels: true });
  const entry = (o: (typeof opinions)[number]): OpinionEntry => ({ target: o.target, key: o.key, label: o.label ?? o.key, source: o.source, createdAt: o.createdAt });
  return { user, banned: opinions.filter((o) => o.score < 0).map(entry), loved: opinions.filter((o) => o.score > 0).map(entry) };
}
