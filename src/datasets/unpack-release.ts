/**
 * Unpacks the files a dataset lists from its archive (zip, or tar.gz), flat into one folder, and
 * digests each while it is written: the archive is streamed, never held in memory, and a 2.4 GB
 * file is read once. Other entries (profiles, scripts, macOS metadata) are skipped.
 */
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import { Parser, type ReadEntry } from "tar";
import { UserError } from "../util/errors.js";
import type { Progress } from "../util/progress.js";
import { forEachZipEntry } from "../util/zip.js";
import type { PublicDataset } from "./catalog.js";
import { Digester, digesting, type FileDigest } from "./file-digest.js";
import { digestOptionsFor } from "./verify-release.js";

export async function unpackRelease(
  dataset: PublicDataset,
  archive: string,
  folder: string,
  progress: Progress,
): Promise<Map<string, FileDigest>> {
  const digests = new Map<string, FileDigest>();
  const seen = new Set<string>();
  /** Writes one entry to the folder if the dataset lists it; resolves once it is on disk. */
  const take = async (entryName: string, open: () => Promise<NodeJS.ReadableStream | AsyncIterable<Buffer>>): Promise<boolean> => {
    const name = path.posix.basename(entryName);
    const file = dataset.files.find((candidate) => candidate.name === name);
    if (!file || entryName.startsWith("__MACOSX/")) return false;
    if (seen.has(name)) throw new UserError(`${archive}: the archive holds ${name} twice`);
    seen.add(name);
    const digester = new Digester(digestOptionsFor(file));
    await pipeline(Readable.from(await open()), digesting(digester), fs.createWriteStream(path.join(folder, name)));
    digests.set(name, digester.digest());
    return true;
  };
  fs.mkdirSync(folder, { recursive: true });
  const size = fs.statSync(archive).size;
  progress.start(`unpacking ${path.basename(archive)}`, size, { bytes: true });
  if (dataset.archive.kind === "zip") {
    await forEachZipEntry(archive, async (entry, openStream) => {
      if (!entry.name.endsWith("/")) await take(entry.name, openStream);
    });
  } else {
    await unpackTarGz(archive, take, progress);
  }
  progress.done(`${digests.size} files`);
  return digests;
}

type Take = (entryName: string, open: () => Promise<AsyncIterable<Buffer>>) => Promise<boolean>;

/** gunzip (node:zlib) into tar's streaming parser; a damaged or cut archive is a UserError. */
async function unpackTarGz(archive: string, take: Take, progress: Progress): Promise<void> {
  const parser = new Parser({ strict: true });
  const writes: Promise<unknown>[] = [];
  parser.on("entry", (entry: ReadEntry) => {
    if (entry.type !== "File" && entry.type !== "OldFile") {
      entry.resume();
      return;
    }
    // The parser waits until the entry is consumed: read it, skip it, or stop the parse on an error.
    const written = take(entry.path, async () => entry).then(
      (taken) => taken || entry.resume(),
      (error: Error) => {
        entry.resume();
        parser.abort(error);
        throw error;
      },
    );
    written.catch(() => {}); // handled by Promise.all below, after the parse
    writes.push(written);
  });
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on("end", () => resolve());
    parser.on("error", reject);
  });
  // When the gunzip fails first, nobody awaits the parse; an entry whose write then fails (its folder
  // already removed by the caller) aborts the parser, and that late rejection must not go unhandled.
  parsed.catch(() => {});
  let read = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      read += chunk.length;
      progress.update(read);
      done(null, chunk);
    },
  });
  try {
    await pipeline(fs.createReadStream(archive), counted, zlib.createGunzip(), async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        if (!parser.write(chunk)) await new Promise((resolve) => parser.once("drain", resolve));
      }
      parser.end();
      await parsed;
    });
    await Promise.all(writes);
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${archive}: damaged or incomplete tar.gz archive (${(error as Error).message})`);
  }
}
