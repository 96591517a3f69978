import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { classifyWholeFile, decodeUtf7Chunk, guessEncoding, utf8Copy } from "../../src/ingest/text-encoding.js";
import { scratchDir } from "./helpers.js";

const dir = scratchDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("guessing a file's encoding from its head", () => {
  it.each([
    ["UTF-8 BOM", Buffer.from("\ufeffartist,track", "utf8"), { encoding: "utf-8", bom: 3, tentative: false }],
    ["UTF-16LE BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("artist", "utf16le")]), { encoding: "utf-16le", bom: 2 }],
    ["UTF-16LE without BOM", Buffer.from("artist,track,album\n", "utf16le"), { encoding: "utf-16le", bom: 0 }],
    ["UTF-16BE without BOM", Buffer.from("artist,track,album\n", "utf16le").swap16(), { encoding: "utf-16be", bom: 0 }],
    ["UTF-7 comment lines", Buffer.from("+ACM- Libre.fm export\nArtist,Track,Time\n"), { encoding: "utf-7" }],
    ["valid UTF-8 accents", Buffer.from("Björk,Jóga\n", "utf8"), { encoding: "utf-8", tentative: false }],
    ["Windows-1252 accents", Buffer.from("Bj\xf6rk,J\xf3ga,\x93quoted\x94\n", "latin1"), { encoding: "windows-1252" }],
    ["a broken byte next to valid UTF-8", Buffer.concat([Buffer.from("Björk\n"), Buffer.from("Caf\xe9\n", "latin1")]), { encoding: "utf-8" }],
    ["a byte Windows-1252 does not define", Buffer.from("A\x81B\n", "latin1"), { encoding: "utf-8" }],
  ])("%s", (_, bytes, expected) => {
    expect(guessEncoding(bytes, true)).toMatchObject(expected);
  });

  it("calls a plain ASCII head tentative unless it is the whole file, and a cut sequence at its end is no error", () => {
    expect(guessEncoding(Buffer.from("artist,track\n"), false)).toMatchObject({ encoding: "utf-8", tentative: true });
    expect(guessEncoding(Buffer.from("artist,track\n"), true)).toMatchObject({ encoding: "utf-8", tentative: false });
    const cut = Buffer.from("Björk", "utf8").subarray(0, 3); // "Bj" + the first byte of "ö"
    expect(guessEncoding(cut, false).encoding).toBe("utf-8");
  });
});

describe("UTF-7 (Libre.fm)", () => {
  it("decodes shift sequences and keeps a '+' that starts none", () => {
    const text = "+ACM- Artist,Track\nSigur R+APM-s,Hopp+AO0-polla\nFlorence + the Machine,C+-C\nC+C Music Factory,x\n";
    expect(decodeUtf7Chunk(Buffer.from(text), true).text).toBe(
      "# Artist,Track\nSigur Rós,Hoppípolla\nFlorence + the Machine,C+C\nC+C Music Factory,x\n",
    );
  });

  it("leaves a shift sequence cut by the end of a chunk for the next one", () => {
    const { text, consumed } = decodeUtf7Chunk(Buffer.from("ab+AC"), false);
    expect([text, consumed]).toEqual(["ab", 2]);
  });
});

describe("decoded copies", () => {
  it("stream big files through chunk boundaries without breaking characters", async () => {
    const line = "Sigur Rós,Hoppípolla,Takk…,1612135000\n";
    const text = line.repeat(60_000); // ~2.3 MB in UTF-16: several 1 MB chunks
    const file = path.join(dir, "big-utf16.csv");
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]));
    const copy = await utf8Copy(file, "utf-16le");
    try {
      expect(path.basename(copy.path)).toBe("big-utf16.csv");
      expect(fs.readFileSync(copy.path, "utf8")).toBe(text);
    } finally {
      copy.release();
    }
    expect(fs.existsSync(copy.path)).toBe(false);
  });

  it("a whole-file pass settles a tentative guess", async () => {
    const latin = path.join(dir, "late.csv");
    fs.writeFileSync(latin, Buffer.concat([Buffer.from("a,b\n".repeat(30_000)), Buffer.from("Bj\xf6rk,x\n", "latin1")]));
    expect(await classifyWholeFile(latin)).toBe("windows-1252");
    const mixed = path.join(dir, "mixed.csv");
    fs.writeFileSync(mixed, Buffer.concat([Buffer.from("a,b\n".repeat(30_000)), Buffer.from("Björk\n"), Buffer.from("Caf\xe9\n", "latin1")]));
    expect(await classifyWholeFile(mixed)).toBe("utf-8");
  });
});
