import type { Command } from "commander";
import { Store } from "../../store/store.js";
import { createTagSource, TAG_SOURCES, type TagSourceName } from "../../sync/artist-tag-sources.js";
import { enrichArtistTags, type EnrichResult } from "../../sync/enrich-tags.js";
import { timingFromEnv } from "../../sync/http-timing.js";
import { UserError } from "../../util/errors.js";
import { statusProgressFor } from "../../util/progress.js";
import { interruptible } from "../interruptible.js";
import { dbPathOf } from "../options.js";

interface TagsFlags {
  source?: string;
  apiKey?: string;
  apiUrl?: string;
  limit?: string;
  json?: boolean;
}

const n = (value: number) => value.toLocaleString("en");

function describe(result: EnrichResult): string {
  const left = result.remaining > 0 ? `; ${n(result.remaining)} artists left (run again to continue)` : "";
  const train = result.tags > 0 ? "\nRun musicrec train to use them in the content model." : "";
  return `${result.source}: ${n(result.artists)} artists looked up, ${n(result.tagged)} with tags (${n(result.tags)} tags), ${result.seconds} s${left}${train}\n`;
}

function parseSource(text: string | undefined): TagSourceName | undefined {
  if (text == null) return undefined;
  const name = text.trim().toLowerCase();
  if ((TAG_SOURCES as readonly string[]).includes(name)) return name as TagSourceName;
  throw new UserError(`--source: expected one of ${TAG_SOURCES.join(", ")}, got "${text}"`);
}

function parseLimit(text: string | undefined): number | undefined {
  if (text == null) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UserError(`--limit: expected a positive whole number, got "${text}"`);
  return value;
}

export function registerEnrich(program: Command): void {
  const enrich = program.command("enrich").description("add metadata from public music databases to the store");
  enrich
    .command("tags")
    .description("fetch tags / genres for artists without tags: MusicBrainz (keyless, 1 request/s) or Last.fm artist.getTopTags with a key; resumable")
    .option("--source <source>", `${TAG_SOURCES.join(" or ")} (default: lastfm when an API key is set, else musicbrainz)`)
    .option("--api-key <key>", "Last.fm API key (default $LASTFM_API_KEY)")
    .option("--api-url <url>", "API base URL (a MusicBrainz mirror, e.g. http://localhost:5000/ws/2)")
    .option("--limit <n>", "look up at most N artists, the most played first")
    .option("--json", "print {source, artists, tagged, tags, remaining, seconds}")
    .action(async (flags: TagsFlags, command: Command) => {
      const source = parseSource(flags.source);
      const limit = parseLimit(flags.limit);
      const apiKey = flags.apiKey ?? (source === "musicbrainz" ? undefined : process.env.LASTFM_API_KEY);
      const status = statusProgressFor({ json: flags.json });
      const store = await Store.open(dbPathOf(command));
      try {
        await interruptible(
          async (signal) => {
            const tagSource = createTagSource({ source, apiKey, apiUrl: flags.apiUrl, timing: timingFromEnv(), signal, onWait: (message) => status.note(message) });
            const result = await enrichArtistTags(store, tagSource, { limit, status, signal });
            process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : describe(result));
          },
          () => "interrupted; the tags stored so far are kept: run the same command again to continue",
        );
      } finally {
        store.close();
      }
    });
}
