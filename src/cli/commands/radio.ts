/** `musicrec radio`: an ordered mix from seed tracks or artists that drifts (src/service/radio.ts). */
import type { Command } from "commander";
import { attachLibrary, attachOpinions, openService, readRecentPlays } from "../../service/open-service.js";
import { RADIO_ARTIST_CAP, type RadioQuery } from "../../service/radio.js";
import type { RecommendationService } from "../../service/recommendation-service.js";
import { UserError } from "../../util/errors.js";
import { dbPathOf, positiveInt } from "../options.js";
import { tasteQuery, type TasteFlags } from "../taste-flags.js";

interface RadioFlags extends RadioFlagValues {
  seed?: string[];
  json?: boolean;
}

/** Collects a repeatable option's values. */
export const collectSeeds = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The flags `radio` and `playlist --radio` share, checked before the store is opened. */
export interface RadioFlagValues extends TasteFlags {
  user?: string;
  model?: string;
  k: string;
  perArtist?: string;
  libraryOnly?: boolean;
}

/** The radio query of the flags (checked now); the service it will run on fills in the default model. */
export function radioQueryOf(seeds: string[], flags: RadioFlagValues, seedFlag = "--seed"): (service: RecommendationService) => RadioQuery {
  if (seeds.length === 0) throw new UserError(`a radio needs at least one ${seedFlag} "Artist - Track" or ${seedFlag} "Artist"`);
  const k = positiveInt(flags.k, "-k");
  const perArtist = flags.perArtist === undefined ? 0 : positiveInt(flags.perArtist, "--per-artist");
  const { newArtistsOnly, discovery, notHeardWithinMs } = tasteQuery(flags);
  const dial = newArtistsOnly ? 1 : discovery;
  if (!flags.user && (dial !== undefined || notHeardWithinMs !== undefined)) {
    throw new UserError("--discovery, --new-artists-only and --not-heard-within are about a listener: add --user NAME");
  }
  return (service) => {
    const query: RadioQuery = {
      seeds,
      model: flags.model ?? service.defaultModel,
      k,
      perArtist,
      user: flags.user ?? null,
      libraryOnly: Boolean(flags.libraryOnly),
      ...(dial !== undefined && { discovery: dial }),
      ...(notHeardWithinMs !== undefined && { notHeardWithinMs }),
    };
    service.model(query.model);
    return query;
  };
}

export function registerRadio(program: Command): void {
  program
    .command("radio")
    .description("an ordered mix that starts near seed tracks or artists and drifts (run `musicrec train` first)")
    .option("--seed <name>", '"Artist - Track", or "Artist" (its top tracks; an artist radio on artist-level data); repeatable', collectSeeds)
    .option("--user <name>", "blend in this listener's taste")
    .option("--model <name>", "model whose item similarities make the mix (default: hybrid when trained, as in the web app)")
    .option("-k, --k <n>", "number of items", "30")
    .option("--per-artist <n>", `at most N items per artist (default ${RADIO_ARTIST_CAP})`)
    .option("--discovery <x>", "with --user, familiar ↔ new, 0 to 1: the share of the mix by artists the listener never played")
    .option("--new-artists-only", "with --user: only artists the listener never played (--discovery 1)")
    .option("--not-heard-within <duration>", "with --user: leave out what the listener played within this time, e.g. 30d")
    .option("--library-only", "only tracks you own (files found by `musicrec library scan`)")
    .option("--json", "print JSON")
    .action(async (flags: RadioFlags, command: Command) => {
      const dbPath = dbPathOf(command);
      const queryFor = radioQueryOf(flags.seed ?? [], flags);
      const service = await openService(dbPath);
      if (flags.libraryOnly) await attachLibrary(service, dbPath);
      // A listener's bans (musicrec feedback) always hold.
      if (flags.user) await attachOpinions(service, dbPath);
      const query = queryFor(service);
      const heardRecently = query.notHeardWithinMs === undefined ? undefined : await readRecentPlays(dbPath, flags.user as string, query.notHeardWithinMs);
      const radio = service.radio(query, { heardRecently });
      const rows = radio.items.map((r, rank) => ({ rank: rank + 1, item: r.item.label, artist: r.item.artist, track: r.item.track, score: r.score }));
      const seeds = radio.seeds.map((s) => s.label);
      if (flags.json) {
        const { model, user, k, perArtist, libraryOnly, discovery } = radio;
        process.stdout.write(`${JSON.stringify({ seeds, model, user, k, perArtist, libraryOnly, discovery, trainedAt: service.bundle.trainedAt, radio: rows }, null, 2)}\n`);
        return;
      }
      const forUser = radio.user ? ` for ${radio.user}` : "";
      const notes = [
        ...(service.training.catalog.level === "track" ? [`at most ${radio.perArtist} per artist`] : []),
        ...(radio.discovery !== null ? [`discovery ${radio.discovery}`] : []),
      ];
      const about = notes.length > 0 ? ` (${notes.join(", ")})` : "";
      process.stdout.write(`${radio.model} radio from ${seeds.join(", ")}${forUser}${radio.libraryOnly ? " from your library" : ""}${about}:\n`);
      if (rows.length === 0) process.stdout.write("  (nothing to play: no item keeps the rules)\n");
      for (const row of rows) process.stdout.write(`${String(row.rank).padStart(3)}. ${row.item}  (${row.score.toFixed(3)})\n`);
      if (rows.length > 0 && rows.length < radio.k) process.stdout.write(`  (only ${rows.length} of ${radio.k}: no further item keeps the rules)\n`);
    });
}
