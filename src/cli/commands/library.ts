/** `musicrec library scan DIR` and `musicrec library status`: your local music files in the store. */
import type { Command } from "commander";
import { loadLibraryFiles } from "../../library/library-store.js";
import { scanLibrary, summarizeMatches, type MatchSummary } from "../../library/scan-library.js";
import { Store } from "../../store/store.js";
import { progressFor } from "../../util/progress.js";
import { dbPathOf } from "../options.js";

const n = (value: number) => value.toLocaleString("en");
const percent = (rate: number) => `${(100 * rate).toFixed(1)}%`;

/** Unreadable files listed by path on the terminal; the count and --json have all of them. */
const LISTED_PROBLEMS = 20;

function matchLine(match: MatchSummary): string {
  return `match rate: ${n(match.matched)} of ${n(match.tagged)} tagged files (${percent(match.rate)}) match a catalogue item` +
    ` (${n(match.byMbid)} by MusicBrainz id, ${n(match.byName)} by artist and title)`;
}

export function registerLibrary(program: Command): void {
  const library = program.command("library").description("your local music files: scan them into the store, see how they match the catalogue");

  library
    .command("scan <dir>")
    .description("read the tags of the audio files under DIR (MP3, FLAC, Ogg, M4A, …) into the store; only new and changed files are read")
    .option("--json", "print the result as JSON")
    .action(async (dir: string, flags: { json?: boolean }, command: Command) => {
      const store = await Store.open(dbPathOf(command));
      try {
        const result = await scanLibrary(store, dir, progressFor(flags));
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
          return;
        }
        const lines = [
          `${result.root}: ${n(result.found)} audio files (${n(result.added)} new, ${n(result.changed)} changed, ${n(result.unchanged)} unchanged; ${n(result.removed)} removed)`,
        ];
        const problems = [...result.unreadable, ...result.walkProblems];
        if (problems.length > 0) {
          lines.push(`unreadable: ${n(problems.length)}`);
          for (const p of problems.slice(0, LISTED_PROBLEMS)) lines.push(`  ${p.path}: ${p.error}`);
          if (problems.length > LISTED_PROBLEMS) lines.push(`  … and ${n(problems.length - LISTED_PROBLEMS)} more (--json lists all)`);
        }
        lines.push(`library: ${n(result.library.files)} files; ${matchLine(result.library.match)}`);
        process.stdout.write(`${lines.join("\n")}\n`);
      } finally {
        store.close();
      }
    });

  library
    .command("status")
    .description("what the library holds and how much of it matches the catalogue (as of the last scan)")
    .option("--json", "print JSON")
    .action(async (flags: { json?: boolean }, command: Command) => {
      const store = await Store.open(dbPathOf(command), { readOnly: true });
      try {
        const files = await loadLibraryFiles(store);
        const artistLevel = (await store.scalar("SELECT count(*) FROM items WHERE track IS NOT NULL")) === 0;
        const match = summarizeMatches(files, artistLevel);
        const unreadable = files.filter((f) => f.error != null).map((f) => ({ path: f.path, error: f.error }));
        const unmatched = files.filter((f) => f.error == null && f.artist && f.matchedBy === "none").map((f) => (f.title ? `${f.artist} - ${f.title}` : f.artist));
        const status = { files: files.length, unreadable: unreadable.length, untagged: files.length - unreadable.length - match.tagged, match };
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ ...status, unreadableFiles: unreadable, unmatched }, null, 2)}\n`);
          return;
        }
        if (files.length === 0) {
          process.stdout.write("the library is empty: run `musicrec library scan DIR`\n");
          return;
        }
        const lines = [`${n(files.length)} files (${n(status.unreadable)} unreadable, ${n(status.untagged)} without artist/title tags)`, matchLine(match)];
        if (unmatched.length > 0) lines.push(`not in the catalogue, e.g.: ${unmatched.slice(0, 5).join("; ")}`);
        process.stdout.write(`${lines.join("\n")}\n`);
      } finally {
        store.close();
      }
    });
}
