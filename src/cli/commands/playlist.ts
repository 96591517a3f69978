/**
 * `musicrec playlist`: a user's recommendations as a playlist file (JSPF for ListenBrainz, XSPF
 * for players, M3U8 of local files), a radio from seeds with --radio, or one discovery playlist per
 * user with --all-users.
 * Files are written to a temporary name and renamed.
 */
import path from "node:path";
import type { Command } from "commander";
import { PLAYLIST_FORMAT_INFO, PLAYLIST_FORMATS, isPlaylistFormat, type PlaylistFormat } from "../../playlists/formats.js";
import { safeFileStem } from "../../playlists/file-name.js";
import type { Playlist, SerializedPlaylist } from "../../playlists/playlist.js";
import type { RecommendQuery, RecommendationService } from "../../service/recommendation-service.js";
import { attachLibrary, attachOpinions, openService, readEveryonesRecentPlays } from "../../service/open-service.js";
import { addTasteOptions, tasteQuery, type TasteFlags } from "../taste-flags.js";
import { writeFileAtomic } from "../../util/atomic-write.js";
import { UserError } from "../../util/errors.js";
import { progressFor } from "../../util/progress.js";
import { dbPathOf, positiveInt } from "../options.js";
import { collectSeeds, radioQueryOf } from "./radio.js";

interface PlaylistFlags extends TasteFlags {
  user?: string;
  radio?: string[];
  allUsers?: boolean;
  outDir?: string;
  output?: string;
  format?: string;
  model?: string;
  k: string;
  perArtist?: string;
  libraryOnly?: boolean;
  relativePaths?: boolean;
  allTracks?: boolean;
  json?: boolean;
}

function formatOf(flags: PlaylistFlags): PlaylistFormat {
  const format = flags.format ?? (flags.output ? path.extname(flags.output).slice(1).toLowerCase() : "");
  if (isPlaylistFormat(format)) return format;
  throw new UserError(
    flags.format === undefined
      ? `--format is needed (one of ${PLAYLIST_FORMATS.join(", ")}) unless -o names a .jspf, .xspf or .m3u8 file`
      : `--format must be one of ${PLAYLIST_FORMATS.join(", ")}, got "${flags.format}"`,
  );
}

function leftOutNote(out: SerializedPlaylist): string {
  return out.leftOut > 0 ? `; ${out.leftOut} left out (${out.leftOutReason})` : "";
}

export function registerPlaylist(program: Command): void {
  const command = program
    .command("playlist")
    .description("write recommendations as a playlist: JSPF (ListenBrainz), XSPF (players) or M3U8 (local files)")
    .option("--user <name>", "the listener (with --radio: optional, blends in their taste)")
    .option("--radio <seed>", 'the radio from a seed instead of recommendations: "Artist - Track" or "Artist"; repeatable', collectSeeds)
    .option("--all-users", "one discovery playlist per user, into --out-dir")
    .option("--out-dir <dir>", "folder for --all-users (file names are made safe from user names)")
    .option("-o, --output <file>", "playlist file (default: standard output)")
    .option("--format <format>", `${PLAYLIST_FORMATS.join(" | ")} (default: from the -o extension)`)
    .option("--model <name>", "model to use (default: hybrid when trained)")
    .option("-k, --k <n>", "number of tracks", "50")
    .option("--per-artist <n>", "at most N tracks per artist");
  addTasteOptions(command)
    .option("--library-only", "only tracks you own (files found by `musicrec library scan`)")
    .option("--relative-paths", "M3U8: paths relative to the playlist's folder instead of absolute")
    .option("--all-tracks", "JSPF: also tracks without a MusicBrainz recording id (ListenBrainz then refuses the file)")
    .option("--json", "print a JSON summary of what was written")
    .action(async (flags: PlaylistFlags, command: Command) => {
      const seeds = flags.radio ?? [];
      const radio = seeds.length > 0;
      if (radio && flags.allUsers) throw new UserError("--radio writes one playlist: leave out --all-users");
      if (radio && flags.includePlayed) throw new UserError("--include-played is for recommendations: a radio plays what you know anyway");
      if (!radio && Boolean(flags.user) === Boolean(flags.allUsers)) throw new UserError("playlist needs --user NAME or --all-users (not both), or --radio SEED");
      const radioQueryFor = radio ? radioQueryOf(seeds, flags, "--radio") : null;
      if (flags.allUsers && !flags.outDir) throw new UserError("--all-users needs --out-dir DIR");
      if (flags.allUsers && flags.output) throw new UserError("--all-users writes into --out-dir; -o is for one --user");
      const format = formatOf(flags);
      const k = positiveInt(flags.k, "-k");
      const perArtist = flags.perArtist === undefined ? 0 : positiveInt(flags.perArtist, "--per-artist");
      const dbPath = dbPathOf(command);
      const taste = tasteQuery(flags);
      const service = await openService(dbPath);
      await attachLibrary(service, dbPath);
      await attachOpinions(service, dbPath);
      const query: RecommendQuery = { model: flags.model ?? service.defaultModel, k, perArtist, ...taste, libraryOnly: Boolean(flags.libraryOnly) };
      service.model(query.model);
      const date = new Date();
      // One read of everyone's recent plays (not one per listener).
      const recent = query.notHeardWithinMs === undefined ? null : await readEveryonesRecentPlays(dbPath, query.notHeardWithinMs, date.getTime(), flags.user);
      const heardBy = (user: string) => (recent === null ? undefined : (recent.get(user) ?? []));
      const serialize = (playlist: Playlist, file: string | null): SerializedPlaylist => {
        const relativeTo = flags.relativePaths ? path.dirname(path.resolve(file ?? "playlist")) : undefined;
        return PLAYLIST_FORMAT_INFO[format].serialize(playlist, { allTracks: flags.allTracks, relativeTo });
      };
      const write = async (user: string, file: string | null) => ({ out: serialize(service.playlistForUser(user, query, date, { heardRecently: heardBy(user) }), file) });

      if (radioQueryFor || flags.user) {
        const file = flags.output ?? null;
        const out = radioQueryFor
          ? serialize(service.radioPlaylist(radioQueryFor(service), date, { heardRecently: flags.user ? heardBy(flags.user) : undefined }), file)
          : (await write(flags.user as string, file)).out;
        if (flags.output) await writeFileAtomic(flags.output, out.text);
        else process.stdout.write(out.text);
        const what = radio ? `radio from ${seeds.join(", ")}${flags.user ? ` for ${flags.user}` : ""}` : `for ${flags.user}`;
        const summary = { user: flags.user ?? null, ...(radio ? { radio: seeds } : {}), format, file: file ? path.resolve(file) : null, tracks: out.written, leftOut: out.leftOut, leftOutReason: out.leftOutReason };
        if (flags.json && flags.output) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        else if (flags.output) process.stdout.write(`${format}: ${out.written} tracks ${what} in ${summary.file}${leftOutNote(out)}\n`);
        else process.stderr.write(`${format}: ${out.written} tracks ${what}${leftOutNote(out)}\n`);
        return;
      }
      await writeAllUsers(service, format, flags, write);
    });
}

async function writeAllUsers(
  service: RecommendationService,
  format: PlaylistFormat,
  flags: PlaylistFlags,
  write: (user: string, file: string) => Promise<{ out: SerializedPlaylist }>,
): Promise<void> {
  const dir = path.resolve(flags.outDir as string);
  const users = service.training.userNames;
  const progress = progressFor(flags);
  progress.start(`writing ${format} playlists to ${dir}`, users.length);
  const files: { user: string; file: string; tracks: number; leftOut: number }[] = [];
  let empty = 0;
  for (const user of users) {
    const file = path.join(dir, `${safeFileStem(user)}.${PLAYLIST_FORMAT_INFO[format].extension}`);
    const { out } = await write(user, file);
    if (out.written === 0) empty++;
    await writeFileAtomic(file, out.text);
    files.push({ user, file, tracks: out.written, leftOut: out.leftOut });
    progress.update(files.length);
  }
  const tracks = files.reduce((sum, f) => sum + f.tracks, 0);
  const leftOut = files.reduce((sum, f) => sum + f.leftOut, 0);
  progress.done(`${files.length} playlists`);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ format, dir, playlists: files.length, tracks, leftOut, empty, files }, null, 2)}\n`);
    return;
  }
  const note = leftOut > 0 ? `; ${leftOut} tracks left out (${format === "m3u8" ? "not in the local library" : "no MusicBrainz recording id"})` : "";
  process.stdout.write(`${format}: ${files.length} playlists (${tracks} tracks) in ${dir}${note}${empty > 0 ? `; ${empty} of them empty` : ""}\n`);
}
