/**
 * Where the benchmarks read and write: every location is a flag or an environment variable, with
 * the team's layout as the fallback (the read-only shared data next to the repository, scratch
 * files under the OS temp directory).
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The value of `--name VALUE` on the command line, if given. */
export function flagValue(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

/** HetRec 2011 Last.fm-2k: `--hetrec DIR`, else $MUSICREC_HETREC, else ../shared/data/hetrec2011-lastfm-2k. */
export function hetrecDir(): string {
  return path.resolve(flagValue("hetrec") ?? process.env.MUSICREC_HETREC ?? path.join(REPO_ROOT, "../shared/data/hetrec2011-lastfm-2k"));
}

/** A benchmark's scratch directory: `--dir DIR`, else $MUSICREC_BENCH_DIR/<bench>, else <tmp>/musicrec-bench-<bench>. */
export function scratchDir(bench: string): string {
  const base = process.env.MUSICREC_BENCH_DIR;
  return path.resolve(flagValue("dir") ?? (base ? path.join(base, bench) : path.join(os.tmpdir(), `musicrec-bench-${bench}`)));
}
