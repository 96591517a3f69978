/**
 * The acceptance on HetRec 2011 (artist-level data): `musicrec radio --seed "Radiohead"
 * -k 30 --json` gives 30 artists, none repeated (so none twice in a row), starting among Radiohead's
 * neighbours. The store is imported and the default models trained once, in a scratch folder.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerRadio } from "../../src/cli/commands/radio.js";
import { registerTrain } from "../../src/cli/commands/train.js";
import { songKey } from "../../src/data/song-key.js";
import { importPaths } from "../../src/ingest/import-files.js";
import { Store } from "../../src/store/store.js";
import { sharedData } from "../ingest/helpers.js";
import { runCommand } from "../run-command.js";

const hetrec = path.join(sharedData, "hetrec2011-lastfm-2k");
const present = fs.existsSync(path.join(hetrec, "user_artists.dat"));
if (!present) console.warn(`skipping the HetRec radio acceptance test: ${hetrec} is absent`);

/** Artists anyone would call close to Radiohead. */
const NEIGHBOURS = ["Thom Yorke", "Muse", "Sigur Rós", "Coldplay", "Blur", "Jonny Greenwood", "Portishead", "Arcade Fire", "Björk", "Beck", "The Smashing Pumpkins", "Pixies", "Interpol"];

describe.skipIf(!present)(`radio on HetRec 2011 (needs ${hetrec})`, () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-radio-hetrec-"));
  const db = path.join(scratch, "store.duckdb");
  const run = (...args: string[]) => runCommand(db, [registerTrain, registerRadio], args);

  beforeAll(async () => {
    const store = await Store.open(db);
    try {
      await importPaths(store, [hetrec]);
    } finally {
      store.close();
    }
    await run("train");
  }, 300_000);
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it('radio --seed "Radiohead" -k 30 --json: 30 artists, none repeated, starting next to Radiohead', async () => {
    const out = JSON.parse(await run("radio", "--seed", "Radiohead", "-k", "30", "--json"));
    expect(out).toMatchObject({ seeds: ["Radiohead"], model: "hybrid", k: 30 });
    const artists: string[] = out.radio.map((r: { artist: string; track: string | null }) => (expect(r.track).toBeNull(), r.artist));
    expect(artists).toHaveLength(30);
    for (let i = 1; i < artists.length; i++) expect(artists[i], `item ${i + 1}`).not.toBe(artists[i - 1]);
    expect(new Set(artists.map((a) => songKey(a, null))).size).toBe(30);
    expect(artists).not.toContain("Radiohead");
    expect(artists.slice(0, 10).filter((a) => NEIGHBOURS.includes(a)).length).toBeGreaterThanOrEqual(3);
    // Deterministic: the same command gives the same mix.
    expect(JSON.parse(await run("radio", "--seed", "Radiohead", "-k", "30", "--json")).radio).toEqual(out.radio);
  });

  it("a listener's radio differs and still keeps the rules; an unknown artist fails with suggestions", async () => {
    const plain = JSON.parse(await run("radio", "--seed", "Radiohead", "-k", "30", "--json")).radio.map((r: { artist: string }) => r.artist);
    const mine = JSON.parse(await run("radio", "--seed", "Radiohead", "--user", "2", "-k", "30", "--json")).radio.map((r: { artist: string }) => r.artist);
    expect(mine).toHaveLength(30);
    expect(new Set(mine).size).toBe(30);
    expect(mine).not.toEqual(plain);
    await expect(run("radio", "--seed", "Radiohed")).rejects.toThrow('unknown artist "Radiohed"; did you mean "Radiohead"?');
  });
});
