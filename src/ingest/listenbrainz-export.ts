/**
 * ListenBrainz's account export (Settings → Export your data): a zip holding
 *   user.json                    {"user_id": …, "username": "…"}
 *   listens/<year>/<month>.jsonl one listen per line (listened_at, track_metadata …)
 *   feedback.jsonl               loved / hated recordings (score, recording_msid, recording_mbid, created)
 *   pinned_recording.jsonl       pins (not listening data; ignored)
 * The zip is unpacked into a temporary folder (src/util/zip.ts: streamed, zip-slip checked); an
 * already unpacked folder is read in place. Its listens are the user.json account's (--user
 * overrides), and its feedback goes to the `feedback` table.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { UserError } from "../util/errors.js";
import { extractZip, listZip } from "../util/zip.js";
import type { FormatName } from "./formats.js";

/** One file of an expanded export, as an import input. */
export interface ExportMember {
  path: string;
  format: FormatName;
  /** How reports name it: "<archive>/listens/2021/1.jsonl". */
  source: string;
  /** The account the export belongs to (user.json), unless --user names another. */
  user?: string;
  /** The export's listens files (feedback finds each recording's artist and title in them). */
  listens?: string[];
}

const USER_FILE = "user.json";
const FEEDBACK_FILE = "feedback.jsonl";
const LISTENS = /^listens\/.+\.jsonl$/;

/** True for a folder laid out like an unpacked ListenBrainz export. */
export function isListenbrainzExportFolder(folder: string): boolean {
  return fs.existsSync(path.join(folder, USER_FILE)) && (fs.existsSync(path.join(folder, "listens")) || fs.existsSync(path.join(folder, FEEDBACK_FILE)));
}

/** The import inputs of an unpacked export folder; `label` names the export in reports. */
export function exportMembers(folder: string, label = folder): ExportMember[] {
  const user = accountName(path.join(folder, USER_FILE), label);
  const files = listFiles(folder);
  const listens = files.filter((name) => LISTENS.test(name)).sort(byYearAndMonth);
  const member = (name: string, format: FormatName): ExportMember => ({
    path: path.join(folder, ...name.split("/")),
    format,
    source: `${label}/${name}`,
    ...(user != null && { user }),
  });
  const members = listens.map((name) => member(name, "listenbrainz"));
  if (files.includes(FEEDBACK_FILE)) {
    members.push({ ...member(FEEDBACK_FILE, "listenbrainz-feedback"), listens: members.map((m) => m.path) });
  }
  if (members.length === 0) throw new UserError(`${label}: a ListenBrainz export without listens or feedback`);
  return members;
}

/**
 * Unpacks an export zip into a fresh temporary folder; `release` removes it. Refuses a zip that is
 * not a ListenBrainz export before writing anything.
 */
export async function unpackExport(zip: string): Promise<{ folder: string; release: () => void }> {
  const names = (await listZip(zip)).map((entry) => entry.name);
  if (!names.includes(USER_FILE) || !names.some((name) => LISTENS.test(name) || name === FEEDBACK_FILE)) {
    throw new UserError(`${zip}: not a ListenBrainz export (expected user.json and listens/<year>/<month>.jsonl in the zip)`);
  }
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-listenbrainz-"));
  const release = () => fs.rmSync(folder, { recursive: true, force: true });
  try {
    await extractZip(zip, folder, (name) => name === USER_FILE || name === FEEDBACK_FILE || LISTENS.test(name));
  } catch (error) {
    release();
    throw error;
  }
  return { folder, release };
}

/** True when a file starts like a zip archive. */
export function isZipFile(file: string): boolean {
  const fd = fs.openSync(file, "r");
  try {
    const magic = Buffer.alloc(4);
    fs.readSync(fd, magic, 0, 4, 0);
    return magic.readUInt32LE(0) === 0x04034b50;
  } finally {
    fs.closeSync(fd);
  }
}

function accountName(file: string, label: string): string | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { username?: unknown; user_name?: unknown };
    const name = parsed.username ?? parsed.user_name;
    return typeof name === "string" && name.trim() !== "" ? name : undefined;
  } catch (error) {
    throw new UserError(`${label}/${USER_FILE}: not the export's account file (${(error as Error).message})`);
  }
}

/** Files below `folder` as "/"-separated relative names. */
function listFiles(folder: string, prefix = ""): string[] {
  const names: string[] = [];
  for (const entry of fs.readdirSync(path.join(folder, prefix), { withFileTypes: true })) {
    const name = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) names.push(...listFiles(folder, name));
    else if (entry.isFile()) names.push(name);
  }
  return names;
}

/** listens/2021/2.jsonl before listens/2021/10.jsonl. */
function byYearAndMonth(a: string, b: string): number {
  const numbers = (name: string) => (name.match(/\d+/g) ?? []).map(Number);
  const [x, y] = [numbers(a), numbers(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? -1) !== (y[i] ?? -1)) return (x[i] ?? -1) - (y[i] ?? -1);
  return a.localeCompare(b);
}
