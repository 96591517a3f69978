/**
 * `musicrec datasets list | fetch` end to end, the download served by a local stand-in host.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../ingest/helpers.js";
import { startArchiveServer } from "./archive-server.js";
import { HETREC_FOLDER, HETREC_SKIP_MESSAGE, hasHetrec, makeZip } from "./fixtures.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-datasets-cli-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI without blocking this process (the stand-in host lives here). */
function musicrec(db: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "src/cli/main.ts"), "--db", db, ...args], {
    cwd: repoRoot,
    env: { ...process.env, MUSICREC_DATASETS_CACHE: path.join(dir, "cache") },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

describe("musicrec datasets", () => {
  it("lists the public datasets with level, contents, size and licence", async () => {
    const { status, stdout } = await musicrec(path.join(dir, "list.duckdb"), "datasets", "list");
    expect(status).toBe(0);
    for (const name of ["hetrec2011-lastfm-2k", "lastfm-1k", "lastfm-360k"]) expect(stdout).toContain(`${name}: `);
    expect(stdout).toContain("1,892 users, 17,632 artists, 92,834 user–artist play counts");
    expect(stdout).toContain("17,559,530 user–artist play counts, 359,347 users");
    expect(stdout.match(/NON-COMMERCIAL/g)).toHaveLength(3);
    const json = JSON.parse((await musicrec(path.join(dir, "list.duckdb"), "datasets", "list", "--json")).stdout) as { name: string; level: string }[];
    expect(json.map((d) => [d.name, d.level])).toEqual([
      ["hetrec2011-lastfm-2k", "artist"],
      ["lastfm-1k", "track"],
      ["lastfm-360k", "artist"],
    ]);
  });

  it("refuses an unknown dataset name with the known ones", async () => {
    const { status, stderr } = await musicrec(path.join(dir, "x.duckdb"), "datasets", "fetch", "movielens");
    expect(status).toBe(1);
    expect(stderr).toContain('musicrec: unknown dataset "movielens": expected one of hetrec2011-lastfm-2k, lastfm-1k, lastfm-360k');
  });

  describe.skipIf(!hasHetrec)("fetch hetrec2011-lastfm-2k --from URL (acceptance)", () => {
    if (!hasHetrec) it.skip(HETREC_SKIP_MESSAGE, () => {});

    it("imports 1,892 users / 17,632 artists / 92,834 pairs; a truncated copy is refused and changes nothing", async () => {
      const zip = fs.readFileSync(makeZip(path.join(dir, "hetrec2011-lastfm-2k.zip"), HETREC_FOLDER));
      const server = await startArchiveServer({ "hetrec2011-lastfm-2k.zip": zip, "cut/hetrec2011-lastfm-2k.zip": zip.subarray(0, zip.length - 5000) });
      try {
        const db = path.join(dir, "hetrec.duckdb");
        const fetched = await musicrec(db, "datasets", "fetch", "hetrec2011-lastfm-2k", "--from", server.url("hetrec2011-lastfm-2k.zip"));
        expect(fetched.stderr).not.toContain("internal error");
        expect(fetched.status).toBe(0);
        expect(fetched.stdout).toContain("1,892 users, 17,632 items in the file");
        expect(fetched.stdout).toContain("Store: 1,892 users, 17,632 items, 92,834 events");
        expect(fetched.stdout).toMatch(/verified: readme\.txt: SHA-256; artists\.dat: 17,632 records/);
        expect(fetched.stdout).toContain("Licence: Made available for NON-COMMERCIAL use");
        const stats = JSON.parse((await musicrec(db, "stats", "--json")).stdout);
        expect(stats).toMatchObject({ users: 1_892, artists: 17_632, events: 92_834, synthetic: false });

        const emptyDb = path.join(dir, "refused.duckdb");
        const refused = await musicrec(emptyDb, "datasets", "fetch", "hetrec2011-lastfm-2k", "--from", server.url("cut/hetrec2011-lastfm-2k.zip"));
        expect(refused.status).toBe(1);
        expect(refused.stderr).toMatch(/^musicrec: http:\/\/127\.0\.0\.1:\d+\/cut\/hetrec2011-lastfm-2k\.zip is refused, nothing was imported: .*zip/m);
        expect(JSON.parse((await musicrec(emptyDb, "stats", "--json")).stdout)).toMatchObject({ users: 0, events: 0 });
        // and the store that has the data keeps it exactly
        const again = await musicrec(db, "datasets", "fetch", "hetrec2011-lastfm-2k", "--from", server.url("cut/hetrec2011-lastfm-2k.zip"));
        expect(again.status).toBe(1);
        expect(JSON.parse((await musicrec(db, "stats", "--json")).stdout)).toEqual(stats);
      } finally {
        await server.close();
      }
    });
  });
});
