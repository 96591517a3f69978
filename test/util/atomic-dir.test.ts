import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeDirAtomic } from "../../src/util/atomic-dir.js";

const scratch = mkdtempSync(path.join(os.tmpdir(), "musicrec-atomic-dir-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A pid no process has (above Linux's pid_max). */
const DEAD_PID = 2 ** 22 + 1;

describe("writeDirAtomic", () => {
  it("publishes the folder only when filling it succeeded", async () => {
    const target = path.join(scratch, "out");
    await writeDirAtomic(target, async (dir) => writeFileSync(path.join(dir, "a"), "1"));
    expect(readFileSync(path.join(target, "a"), "utf8")).toBe("1");

    await expect(
      writeDirAtomic(
        target,
        async (dir) => {
          writeFileSync(path.join(dir, "a"), "half");
          throw new Error("disk full");
        },
        { replaceable: async () => true },
      ),
    ).rejects.toThrow("disk full");
    expect(readdirSync(target)).toEqual(["a"]);
    expect(readFileSync(path.join(target, "a"), "utf8")).toBe("1");
    expect(readdirSync(scratch)).toEqual(["out"]);
  });

  it("refuses a non-empty folder it may not replace", async () => {
    const target = path.join(scratch, "keep");
    mkdirSync(target);
    writeFileSync(path.join(target, "mine"), "x");
    await expect(writeDirAtomic(target, async () => {}, { refusal: "is not ours" })).rejects.toThrow(/is not empty and is not ours/);
    expect(readdirSync(target)).toEqual(["mine"]);
  });

  it("cleans up after a killed run: partial output deleted, a moved-aside target restored", async () => {
    const target = path.join(scratch, "crashed");
    mkdirSync(path.join(scratch, `.crashed.partial-${DEAD_PID}`));
    mkdirSync(path.join(scratch, `.crashed.old-${DEAD_PID}`));
    writeFileSync(path.join(scratch, `.crashed.old-${DEAD_PID}`, "previous"), "x");
    await writeDirAtomic(target, async (dir) => writeFileSync(path.join(dir, "next"), "y"), { replaceable: async () => true });
    expect(readdirSync(target)).toEqual(["next"]);
    expect(readdirSync(scratch).filter((name) => name.startsWith(".crashed"))).toEqual([]);
  });
});
