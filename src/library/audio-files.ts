/**
 * The audio files under a folder, with the size and modification time an incremental scan
 * compares. Symbolic links are followed (music libraries often use them), each real folder once,
 * so a link loop cannot make the walk endless. Folders that cannot be listed are reported, not fatal.
 */
import fs from "node:fs/promises";
import path from "node:path";

/** Extensions of the formats music-metadata reads tags from (MP3, FLAC, Ogg, M4A and kin). */
export const AUDIO_EXTENSIONS = new Set([
  ".mp3", ".flac", ".ogg", ".oga", ".opus", ".m4a", ".m4b", ".mp4", ".aac", ".alac", ".wma", ".wav", ".aif", ".aiff", ".ape", ".wv", ".mpc", ".dsf",
]);

export interface AudioFile {
  /** Absolute path. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface FolderWalk {
  files: AudioFile[];
  /** Folders or entries that could not be read, with the reason. */
  problems: { path: string; error: string }[];
}

const reason = (error: unknown) => (error instanceof Error ? error.message.split("\n")[0] : String(error));

export async function findAudioFiles(root: string, onFound: (count: number) => void = () => {}): Promise<FolderWalk> {
  const files: AudioFile[] = [];
  const problems: FolderWalk["problems"] = [];
  const seen = new Set<string>();
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      const real = await fs.realpath(dir);
      if (seen.has(real)) return;
      seen.add(real);
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      problems.push({ path: dir, error: reason(error) });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
        continue;
      }
      if (!(entry.isFile() || entry.isSymbolicLink())) continue;
      if (entry.isFile() && !AUDIO_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) continue;
      try {
        const stat = await fs.stat(full);
        if (stat.isDirectory()) await walk(full);
        else if (stat.isFile() && AUDIO_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
          files.push({ path: full, size: stat.size, mtimeMs: stat.mtimeMs });
          onFound(files.length);
        }
      } catch (error) {
        problems.push({ path: full, error: reason(error) });
      }
    }
  };
  await walk(path.resolve(root));
  return { files, problems };
}
