import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/util/atomic-write.js";

describe("writeFileAtomic", () => {
  it("creates the directory, replaces the content and leaves no temporary file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atomic-"));
    const file = path.join(dir, "sub", "report.md");
    await writeFileAtomic(file, "first");
    await writeFileAtomic(file, "second");
    expect(fs.readFileSync(file, "utf8")).toBe("second");
    expect(fs.readdirSync(path.dirname(file))).toEqual(["report.md"]);
    fs.rmSync(dir, { recursive: true });
  });

  it("fails without leaving a temporary file when the target is a directory", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "atomic-"));
    fs.mkdirSync(path.join(dir, "taken"));
    await expect(writeFileAtomic(path.join(dir, "taken"), "x")).rejects.toThrow();
    expect(fs.readdirSync(dir)).toEqual(["taken"]);
    fs.rmSync(dir, { recursive: true });
  });
});
