import { sqlString } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { silentStatus, type StatusProgress } from "../util/progress.js";
import type { TagSource } from "./artist-tag-sources.js";

export interface EnrichOptions {
  /** Look up at most this many artists (the most played first); default all. */
  limit?: number;
  status?: StatusProgress;
  signal?: AbortSignal;
}

export interface EnrichResult {
  source: string;
  /** Artists looked up in this run. */
  artists: number;
  /** Of those, the ones the source had tags for. */
  tagged: number;
  tags: number;
  /** Artists still without tags that this source has not been asked about. */
  remaining: number;
  seconds: number;
}

/** Artists without tags that `source` was not asked about yet, most played first. */
function pendingSql(source: string, limit: number | null): string {
  return `SELECT a.artist_id, a.name FROM artists a
    LEFT JOIN (SELECT i.artist_id, sum(e.plays) AS plays FROM events e JOIN items i USING (item_id) GROUP BY i.artist_id) p USING (artist_id)
    WHERE a.artist_id NOT IN (SELECT artist_id FROM artist_tags)
      AND a.artist_id NOT IN (SELECT artist_id FROM artist_tag_lookups WHERE source = ${sqlString(source)})
    ORDER BY p.plays DESC NULLS LAST, a.artist_id${limit == null ? "" : ` LIMIT ${limit}`}`;
}

/**
 * `musicrec enrich tags`: asks `source` for the tags of every artist that has none, one artist at
 * a time, each answer (tags, or none) stored with a lookup record in one transaction. A re-run,
 * or a run after an interruption, skips the artists already asked about; the content model uses
 * the tags after the next `musicrec train`.
 */
export async function enrichArtistTags(store: Store, source: TagSource, options: EnrichOptions = {}): Promise<EnrichResult> {
  const started = Date.now();
  const status = options.status ?? silentStatus;
  const pending = await store.all(pendingSql(source.name, options.limit ?? null));
  let tagged = 0;
  let tags = 0;
  status.start(`tags from ${source.name}`);
  for (const [index, row] of pending.entries()) {
    options.signal?.throwIfAborted();
    const artistId = Number(row.artist_id);
    const found = (await source.tagsOf(String(row.name))) ?? [];
    await store.transaction(async () => {
      for (const tag of found) {
        await store.connection.run("INSERT INTO artist_tags VALUES ($artist, $tag, $weight)", { artist: artistId, tag: tag.name, weight: tag.weight });
      }
      await store.connection.run("INSERT INTO artist_tag_lookups VALUES ($artist, $source, now()::TIMESTAMP, $tags)", {
        artist: artistId,
        source: source.name,
        tags: found.length,
      });
    });
    if (found.length > 0) tagged++;
    tags += found.length;
    status.update(`${index + 1} of ${pending.length} artists, ${tagged} tagged`, (index + 1) / pending.length);
  }
  const remaining = Number((await store.all(`SELECT count(*) AS n FROM (${pendingSql(source.name, null)})`))[0].n);
  status.done(`${pending.length} artists looked up, ${tagged} with tags`);
  return { source: source.name, artists: pending.length, tagged, tags, remaining, seconds: Math.round((Date.now() - started) / 100) / 10 };
}
