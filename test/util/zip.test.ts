import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractZip, listZip } from "../../src/util/zip.js";
import { makeZip as makeZipIn } from "../zip-fixture.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-zip-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const makeZip = (name: string, entries: Record<string, string>): string => makeZipIn(dir, name, entries);

describe("zip archives", () => {
  it("lists and extracts entries, keeping nested folders", async () => {
    const zip = makeZip("export.zip", { "user.json": '{"user_name":"alice"}', "listens/2024/1.jsonl": "a\nb\n", "feedback.jsonl": "" });
    expect((await listZip(zip)).map((e) => e.name).sort()).toEqual(["feedback.jsonl", "listens/2024/1.jsonl", "user.json"]);
    const out = path.join(dir, "out");
    const written = await extractZip(zip, out, (name) => name.startsWith("listens/"));
    expect(written).toEqual(["listens/2024/1.jsonl"]);
    expect(fs.readFileSync(path.join(out, "listens", "2024", "1.jsonl"), "utf8")).toBe("a\nb\n");
    expect(fs.existsSync(path.join(out, "user.json"))).toBe(false);
  });

  it("refuses entries that climb out of the destination", async () => {
    const zip = makeZip("slip.zip", { "../evil.txt": "x" });
    await expect(extractZip(zip, path.join(dir, "slip"))).rejects.toThrow(/slip\.zip: archive entry "\.\.\/evil\.txt" points outside/);
    expect(fs.existsSync(path.join(dir, "evil.txt"))).toBe(false);
  });

  it("names the file when it is not a zip or is truncated", async () => {
    const text = path.join(dir, "plain.zip");
    fs.writeFileSync(text, "not a zip");
    await expect(listZip(text)).rejects.toThrow(/plain\.zip: not a readable zip archive/);
    const whole = fs.readFileSync(makeZip("whole.zip", { "a.txt": "a".repeat(10_000) }));
    const cut = path.join(dir, "cut.zip");
    fs.writeFileSync(cut, whole.subarray(0, whole.length - 30));
    await expect(listZip(cut)).rejects.toThrow(/cut\.zip/);
  });
});
