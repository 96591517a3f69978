/**
 * Minimal tagged audio files written byte by byte (no binary fixtures): each is just enough of its
 * container for a tag reader — an ID3v2.4 tag before MPEG frames, FLAC's STREAMINFO and
 * VORBIS_COMMENT blocks, three Ogg pages of Vorbis headers, and an MP4 `moov` with `mvhd` and
 * iTunes `ilst` atoms. The audio itself is silence or absent.
 */
import { writeFileSync } from "node:fs";

export interface FixtureTags {
  artist?: string;
  title?: string;
  album?: string;
  recordingMbid?: string;
  artistMbid?: string;
  /** Seconds (FLAC, Ogg, M4A; MP3 length follows from its frames). */
  seconds?: number;
}

const utf8 = (text: string) => Buffer.from(text, "utf8");
const be32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b; };
const le32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
const syncsafe = (n: number) => Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);

// ---- MP3: ID3v2.4 (UTF-8 text frames, UFID for the recording id, TXXX for the artist id) + CBR frames.
function id3Frame(id: string, body: Buffer): Buffer {
  return Buffer.concat([utf8(id), syncsafe(body.length), Buffer.from([0, 0]), body]);
}
const textFrame = (id: string, value: string) => id3Frame(id, Buffer.concat([Buffer.from([3]), utf8(value)]));

export function mp3(tags: FixtureTags, frames = 40): Buffer {
  const frameList: Buffer[] = [];
  if (tags.artist) frameList.push(textFrame("TPE1", tags.artist));
  if (tags.title) frameList.push(textFrame("TIT2", tags.title));
  if (tags.album) frameList.push(textFrame("TALB", tags.album));
  if (tags.recordingMbid) frameList.push(id3Frame("UFID", Buffer.concat([utf8("http://musicbrainz.org\0"), utf8(tags.recordingMbid)])));
  if (tags.artistMbid) frameList.push(id3Frame("TXXX", Buffer.concat([Buffer.from([3]), utf8("MusicBrainz Artist Id\0"), utf8(tags.artistMbid)])));
  const body = Buffer.concat(frameList);
  const header = Buffer.concat([utf8("ID3"), Buffer.from([4, 0, 0]), syncsafe(body.length)]);
  // MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames of 1152 samples.
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x00]);
  return Buffer.concat([header, body, ...Array.from({ length: frames }, () => frame)]);
}

// ---- FLAC: STREAMINFO + VORBIS_COMMENT.
function vorbisComments(tags: FixtureTags): Buffer {
  const comments = [
    tags.artist && `ARTIST=${tags.artist}`,
    tags.title && `TITLE=${tags.title}`,
    tags.album && `ALBUM=${tags.album}`,
    tags.recordingMbid && `MUSICBRAINZ_TRACKID=${tags.recordingMbid}`,
    tags.artistMbid && `MUSICBRAINZ_ARTISTID=${tags.artistMbid}`,
  ].filter((c): c is string => Boolean(c));
  const vendor = utf8("musicrec test");
  return Buffer.concat([le32(vendor.length), vendor, le32(comments.length), ...comments.flatMap((c) => [le32(utf8(c).length), utf8(c)])]);
}

export function flac(tags: FixtureTags): Buffer {
  const sampleRate = 44100;
  const samples = Math.round((tags.seconds ?? 3) * sampleRate);
  const info = Buffer.alloc(34);
  info.writeUInt16BE(4096, 0);
  info.writeUInt16BE(4096, 2);
  // sample rate (20 bits) | channels-1 (3) | bits-1 (5) | total samples (36): 64 bits from byte 10.
  const packed = (BigInt(sampleRate) << 44n) | (1n << 41n) | (15n << 36n) | BigInt(samples);
  info.writeBigUInt64BE(packed, 10);
  const comments = vorbisComments(tags);
  const block = (last: boolean, type: number, body: Buffer) =>
    Buffer.concat([Buffer.from([(last ? 0x80 : 0) | type, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
  return Buffer.concat([utf8("fLaC"), block(false, 0, info), block(true, 4, comments)]);
}

// ---- Ogg Vorbis: identification, comment and a last page whose granule gives the length.
const CRC_TABLE = Array.from({ length: 256 }, (_, i) => {
  let r = i << 24;
  for (let k = 0; k < 8; k++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
  return r >>> 0;
});
function oggCrc(data: Buffer): number {
  let crc = 0;
  for (const byte of data) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]) >>> 0;
  return crc;
}
function oggPage(packet: Buffer, sequence: number, headerType: number, granule: bigint): Buffer {
  const segments: number[] = [];
  let left = packet.length;
  while (left >= 255) { segments.push(255); left -= 255; }
  segments.push(left);
  const header = Buffer.alloc(27);
  header.write("OggS", 0);
  header[5] = headerType;
  header.writeBigInt64LE(granule, 6);
  header.writeUInt32LE(0x6d72, 14);
  header.writeUInt32LE(sequence, 18);
  header[26] = segments.length;
  const page = Buffer.concat([header, Buffer.from(segments), packet]);
  page.writeUInt32LE(oggCrc(page), 22);
  return page;
}

export function ogg(tags: FixtureTags): Buffer {
  const sampleRate = 44100;
  const id = Buffer.concat([Buffer.from([1]), utf8("vorbis"), le32(0), Buffer.from([2]), le32(sampleRate), le32(0), le32(128000), le32(0), Buffer.from([0xb8, 1])]);
  const comment = Buffer.concat([Buffer.from([3]), utf8("vorbis"), vorbisComments(tags), Buffer.from([1])]);
  const samples = BigInt(Math.round((tags.seconds ?? 3) * sampleRate));
  return Buffer.concat([oggPage(id, 0, 0x02, 0n), oggPage(comment, 1, 0, 0n), oggPage(Buffer.alloc(16), 2, 0x04, samples)]);
}

// ---- M4A: ftyp + moov(mvhd, udta(meta(hdlr, ilst))).
const atom = (type: string, ...children: Buffer[]) => { const body = Buffer.concat(children); return Buffer.concat([be32(body.length + 8), Buffer.from(type, "latin1"), body]); };
const fullBox = (type: string, ...children: Buffer[]) => atom(type, Buffer.alloc(4), ...children);
const dataAtom = (value: string) => atom("data", be32(1), be32(0), utf8(value));
const freeform = (name: string, value: string) => atom("----", fullBox("mean", utf8("com.apple.iTunes")), fullBox("name", utf8(name)), dataAtom(value));

export function m4a(tags: FixtureTags): Buffer {
  const timescale = 1000;
  const mvhd = Buffer.alloc(96);
  mvhd.writeUInt32BE(timescale, 8);
  mvhd.writeUInt32BE(Math.round((tags.seconds ?? 3) * timescale), 12);
  mvhd.writeUInt32BE(0x00010000, 16);
  mvhd.writeUInt16BE(0x0100, 20);
  mvhd.writeUInt32BE(0x00010000, 32);
  mvhd.writeUInt32BE(0x00010000, 48);
  mvhd.writeUInt32BE(0x40000000, 64);
  mvhd.writeUInt32BE(2, 92);
  const items: Buffer[] = [];
  if (tags.artist) items.push(atom("\u00a9ART", dataAtom(tags.artist)));
  if (tags.title) items.push(atom("\u00a9nam", dataAtom(tags.title)));
  if (tags.album) items.push(atom("\u00a9alb", dataAtom(tags.album)));
  if (tags.recordingMbid) items.push(freeform("MusicBrainz Track Id", tags.recordingMbid));
  if (tags.artistMbid) items.push(freeform("MusicBrainz Artist Id", tags.artistMbid));
  const hdlr = fullBox("hdlr", be32(0), Buffer.from("mdir", "latin1"), Buffer.from("appl", "latin1"), Buffer.alloc(9));
  const ftyp = atom("ftyp", Buffer.from("M4A ", "latin1"), be32(0), Buffer.from("M4A mp42isom", "latin1"));
  return Buffer.concat([ftyp, atom("moov", fullBox("mvhd", mvhd), atom("udta", fullBox("meta", hdlr, atom("ilst", ...items))))]);
}

export const WRITERS = { mp3, flac, ogg, m4a } as const;

/** Writes a tagged file of the format its extension names. */
export function writeAudio(file: string, tags: FixtureTags): void {
  const extension = file.slice(file.lastIndexOf(".") + 1) as keyof typeof WRITERS;
  writeFileSync(file, WRITERS[extension](tags));
}
