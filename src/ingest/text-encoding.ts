/**
 * Which character encoding a listening-history file is in, and a streaming UTF-8 copy when it is
 * not UTF-8 (DuckDB's readers only read UTF-8; its own `latin-1` is ISO-8859-1, which garbles the
 * curly quotes, dashes and € that Windows-1252 files from spreadsheets carry).
 *
 * Decided from the first bytes (the head):
 *  - a byte-order mark: UTF-8, UTF-16LE or UTF-16BE;
 *  - no BOM but NUL bytes in every other position: UTF-16 of mostly ASCII text;
 *  - a 7-bit file that starts with `+ACM-` (a `#` comment line written as UTF-7, as Libre.fm's
 *    export does): UTF-7;
 *  - bytes that are not valid UTF-8: Windows-1252 when the head has no valid multi-byte UTF-8
 *    sequence and no byte Windows-1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D); otherwise the
 *    file stays UTF-8 and its broken lines are rejected one by one;
 *  - otherwise UTF-8. When the head was plain ASCII the choice is tentative: a later byte may show
 *    the file is Windows-1252 after all (`classifyWholeFile`, run only when the reader rejected lines
 *    as invalid UTF-8).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { isUtf8 } from "node:buffer";
import { UserError } from "../util/errors.js";

export type TextEncoding = "utf-8" | "utf-16le" | "utf-16be" | "windows-1252" | "utf-7";

export interface EncodingGuess {
  encoding: TextEncoding;
  /** Bytes of byte-order mark at the start. */
  bom: number;
  /** True when the head was plain ASCII, so a byte further on may still change the answer. */
  tentative: boolean;
}

export const HEAD_BYTES = 65536;

/** Bytes Windows-1252 does not define: a file holding them is not Windows-1252 text. */
const UNDEFINED_IN_1252 = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** Human name of an encoding, for import reports. */
export function encodingLabel(encoding: TextEncoding): string {
  return { "utf-8": "UTF-8", "utf-16le": "UTF-16LE", "utf-16be": "UTF-16BE", "windows-1252": "Windows-1252 (Latin-1)", "utf-7": "UTF-7" }[encoding];
}

/** Guesses the encoding from a file's first bytes; `complete` when they are the whole file. */
export function guessEncoding(head: Buffer, complete: boolean): EncodingGuess {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: "utf-8", bom: 3, tentative: false };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: "utf-16le", bom: 2, tentative: false };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: "utf-16be", bom: 2, tentative: false };
  const utf16 = utf16WithoutBom(head);
  if (utf16) return { encoding: utf16, bom: 0, tentative: false };
  const stats = byteStats(head, complete);
  if (stats.highBytes === 0) {
    if (head.subarray(0, 5).toString("latin1") === "+ACM-") return { encoding: "utf-7", bom: 0, tentative: false };
    return { encoding: "utf-8", bom: 0, tentative: !complete };
  }
  if (stats.invalidUtf8 === 0) return { encoding: "utf-8", bom: 0, tentative: false };
  const legacy = stats.validMultibyte === 0 && stats.undefinedIn1252 === 0;
  return { encoding: legacy ? "windows-1252" : "utf-8", bom: 0, tentative: false };
}

/** UTF-16 without a BOM: text that is mostly ASCII has a NUL in every other byte. */
function utf16WithoutBom(head: Buffer): TextEncoding | null {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return "utf-16le";
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return "utf-16be";
  return null;
}

interface ByteStats {
  highBytes: number;
  validMultibyte: number;
  invalidUtf8: number;
  undefinedIn1252: number;
}

/**
 * Counts, over a buffer, bytes ≥ 0x80, well-formed multi-byte UTF-8 sequences, bytes that start no
 * well-formed sequence, and bytes Windows-1252 leaves undefined. A sequence cut off by the end of
 * an incomplete head is not counted as invalid.
 */
function byteStats(bytes: Buffer, complete: boolean): ByteStats {
  const stats: ByteStats = { highBytes: 0, validMultibyte: 0, invalidUtf8: 0, undefinedIn1252: 0 };
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    stats.highBytes++;
    if (UNDEFINED_IN_1252.has(b)) stats.undefinedIn1252++;
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) {
      stats.invalidUtf8++;
      i++;
      continue;
    }
    if (i + length > bytes.length && !complete) break;
    if (isUtf8(bytes.subarray(i, i + length))) {
      stats.validMultibyte++;
      for (let k = 1; k < length; k++) if (UNDEFINED_IN_1252.has(bytes[i + k])) stats.undefinedIn1252++;
      stats.highBytes += length - 1;
      i += length;
    } else {
      stats.invalidUtf8++;
      i++;
    }
  }
  return stats;
}

/**
 * Reads the whole file to settle a tentative UTF-8 guess: Windows-1252 when it has bytes that are
 * not UTF-8, no well-formed multi-byte sequence and no byte Windows-1252 leaves undefined.
 */
export async function classifyWholeFile(file: string): Promise<TextEncoding> {
  const total: ByteStats = { highBytes: 0, validMultibyte: 0, invalidUtf8: 0, undefinedIn1252: 0 };
  let carry = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const bytes = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    // Keep a possibly cut sequence (at most 3 bytes) for the next chunk.
    let cut = bytes.length;
    for (let back = 1; back <= 3 && back <= bytes.length; back++) {
      if (bytes[bytes.length - back] >= 0xc0) {
        cut = bytes.length - back;
        break;
      }
    }
    const stats = byteStats(bytes.subarray(0, cut), true);
    total.validMultibyte += stats.validMultibyte;
    total.invalidUtf8 += stats.invalidUtf8;
    total.undefinedIn1252 += stats.undefinedIn1252;
    carry = Buffer.from(bytes.subarray(cut));
  }
  const tail = byteStats(carry, true);
  total.validMultibyte += tail.validMultibyte;
  total.invalidUtf8 += tail.invalidUtf8;
  total.undefinedIn1252 += tail.undefinedIn1252;
  return total.invalidUtf8 > 0 && total.validMultibyte === 0 && total.undefinedIn1252 === 0 ? "windows-1252" : "utf-8";
}

/** Decodes a whole buffer (a file's head) to text, without the BOM. */
export function decodeText(bytes: Buffer, guess: EncodingGuess): string {
  const body = bytes.subarray(guess.bom);
  if (guess.encoding === "utf-7") return decodeUtf7Chunk(body, true).text;
  return new TextDecoder(guess.encoding).decode(body);
}

/**
 * Writes a UTF-8 copy of `file` (decoded from `encoding`) into a fresh temporary folder, under the
 * same file name (single-person exports are named after their file), streaming: memory stays at one
 * chunk whatever the file size. The caller removes the folder with `release`.
 */
export async function utf8Copy(file: string, encoding: TextEncoding): Promise<{ path: string; release: () => void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-decoded-"));
  const target = path.join(dir, path.basename(file));
  const release = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), decoder(encoding), fs.createWriteStream(target));
  } catch (error) {
    release();
    throw new UserError(`${file}: cannot be decoded as ${encodingLabel(encoding)}: ${(error as Error).message}`);
  }
  return { path: target, release };
}

/** A stream turning bytes in `encoding` into UTF-8 (a BOM is dropped). */
function decoder(encoding: TextEncoding): Transform {
  if (encoding === "utf-7") return new Utf7Decoder();
  const text = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      done(null, Buffer.from(text.decode(chunk, { stream: true }), "utf8"));
    },
    flush(done: TransformCallback) {
      done(null, Buffer.from(text.decode(), "utf8"));
    },
  });
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) BASE64_VALUE[BASE64.charCodeAt(i)] = i;

/**
 * UTF-7 (RFC 2152), decoded leniently because a file guessed to be UTF-7 from its comment lines may
 * hold plain text further on: `+-` is `+`; `+<base64>` (ended by `-` or any other character) is
 * UTF-16 code units; a `+` not followed by a whole code unit stays a literal `+` ("C+C Music
 * Factory"); bytes ≥ 0x80 pass through unchanged. Node has no UTF-7 decoder, hence this one.
 * Returns the text and the number of bytes consumed (an unfinished shift sequence at the end of a
 * chunk is left for the next one unless `final`).
 */
export function decodeUtf7Chunk(bytes: Buffer, final: boolean): { text: string; consumed: number } {
  let out = "";
  let i = 0;
  let plainStart = 0;
  const flushPlain = (end: number) => {
    if (end > plainStart) out += bytes.subarray(plainStart, end).toString("utf8");
  };
  while (i < bytes.length) {
    if (bytes[i] !== 0x2b /* + */) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < bytes.length && bytes[j] < 128 && BASE64_VALUE[bytes[j]] >= 0) j++;
    if (j === bytes.length && !final) break; // the shift sequence may continue in the next chunk
    flushPlain(i);
    if (j === i + 1 && bytes[j] === 0x2d /* - */) {
      out += "+";
      i = j + 1;
      plainStart = i;
      continue;
    }
    const units = base64ToUtf16(bytes, i + 1, j);
    if (units === null) {
      out += "+";
      i += 1;
      plainStart = i;
      continue;
    }
    out += units;
    i = j < bytes.length && bytes[j] === 0x2d ? j + 1 : j;
    plainStart = i;
  }
  const end = final ? i : wholeUtf8End(bytes, i);
  flushPlain(end);
  return { text: out, consumed: end };
}

/** `end`, moved back before a multi-byte UTF-8 sequence that the buffer cuts off. */
function wholeUtf8End(bytes: Buffer, end: number): number {
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = bytes[end - back];
    if (b < 0x80) return end;
    if (b >= 0xc0) {
      const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return back < length ? end - back : end;
    }
  }
  return end;
}

/** Base64 digits [from, to) as UTF-16 code units, or null when they hold no whole unit or stray bits. */
function base64ToUtf16(bytes: Buffer, from: number, to: number): string | null {
  const bits = (to - from) * 6;
  const units = Math.floor(bits / 16);
  if (units === 0 || bits - units * 16 >= 6) return null;
  let buffer = 0;
  let held = 0;
  const codes: number[] = [];
  for (let k = from; k < to; k++) {
    buffer = (buffer << 6) | BASE64_VALUE[bytes[k]];
    held += 6;
    if (held >= 16) {
      held -= 16;
      codes.push((buffer >> held) & 0xffff);
      buffer &= (1 << held) - 1;
    }
  }
  if (buffer !== 0) return null;
  return String.fromCharCode(...codes);
}

class Utf7Decoder extends Transform {
  private pending = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    const bytes = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const { text, consumed } = decodeUtf7Chunk(bytes, false);
    this.pending = Buffer.from(bytes.subarray(consumed));
    done(null, Buffer.from(text, "utf8"));
  }

  override _flush(done: TransformCallback): void {
    done(null, Buffer.from(decodeUtf7Chunk(this.pending, true).text, "utf8"));
  }
}
