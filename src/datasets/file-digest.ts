/**
 * Checksums and line counts of a file computed while it streams past (as it is unpacked from an
 * archive, or read back from the cache), so a 2.4 GB file is read once and never held in memory.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

export interface FileDigest {
  bytes: number;
  sha256: string;
  /** Lines: the "\n" count, plus one when the file does not end with "\n". */
  lines: number;
  /** MD5 of the bytes, when asked for (a README documents it). */
  md5?: string;
  /**
   * SHA-256 of the records, when asked for: the lines after the header, each ending in "\n", CRs
   * before a newline dropped. Equal for copies that differ only in the header or the last newline.
   */
  recordsSha256?: string;
}

export interface DigestOptions {
  md5?: boolean;
  /** Compute recordsSha256, skipping this many header lines. */
  recordsAfterLines?: number;
}

const NEWLINE = 0x0a;
const CR = 0x0d;

export class Digester {
  private readonly sha256 = crypto.createHash("sha256");
  private readonly md5: crypto.Hash | null;
  private readonly records: crypto.Hash | null;
  private readonly headerLines: number;
  private bytes = 0;
  private newlines = 0;
  private lastByte = -1;
  /** A CR at the end of the previous chunk, held back until we know whether "\n" follows. */
  private pendingCr = false;

  constructor(options: DigestOptions = {}) {
    this.md5 = options.md5 ? crypto.createHash("md5") : null;
    this.records = options.recordsAfterLines == null ? null : crypto.createHash("sha256");
    this.headerLines = options.recordsAfterLines ?? 0;
  }

  update(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.sha256.update(chunk);
    this.md5?.update(chunk);
    const linesBefore = this.newlines;
    let recordStart = linesBefore >= this.headerLines ? 0 : -1;
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) {
      this.newlines++;
      if (recordStart === -1 && this.newlines === this.headerLines) recordStart = at + 1;
    }
    if (this.records && recordStart !== -1) this.hashRecords(chunk.subarray(recordStart));
    this.bytes += chunk.length;
    this.lastByte = chunk[chunk.length - 1];
  }

  private hashRecords(part: Buffer): void {
    const records = this.records!;
    let text = this.pendingCr ? Buffer.concat([Buffer.from([CR]), part]) : part;
    this.pendingCr = text.length > 0 && text[text.length - 1] === CR;
    if (this.pendingCr) text = text.subarray(0, text.length - 1);
    let from = 0;
    for (let at = text.indexOf("\r\n"); at !== -1; at = text.indexOf("\r\n", at + 2)) {
      records.update(text.subarray(from, at));
      from = at + 1;
    }
    records.update(text.subarray(from));
  }

  digest(): FileDigest {
    const endsWithNewline = this.lastByte === NEWLINE;
    const result: FileDigest = {
      bytes: this.bytes,
      sha256: this.sha256.digest("hex"),
      lines: this.newlines + (this.bytes > 0 && !endsWithNewline ? 1 : 0),
    };
    if (this.md5) result.md5 = this.md5.digest("hex");
    if (this.records) {
      // A last line without "\n" (a held-back CR included) ends as if it had one.
      if (this.bytes > 0 && !endsWithNewline && this.newlines >= this.headerLines) this.records.update("\n");
      result.recordsSha256 = this.records.digest("hex");
    }
    return result;
  }
}

/** A pass-through stream feeding every chunk to `digester`. */
export function digesting(digester: Digester): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      digester.update(chunk);
      done(null, chunk);
    },
  });
}

export async function digestFile(file: string, options: DigestOptions = {}): Promise<FileDigest> {
  const digester = new Digester(options);
  await pipeline(fs.createReadStream(file), async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) digester.update(chunk);
  });
  return digester.digest();
}
