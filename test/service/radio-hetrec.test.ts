/**
 * The acceptance on HetRec 2011 (artist-level data): `musicrec radio --seed "Radiohead"
 * -k 30 --json` gives 30 artists, none repeated (so none twice in a row), starting among Radiohead's
 * neighbours; a listener's ban takes the artist out of their radio (and its playlist). The store is
 * imported and the default models trained once, in a scratch folder.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerFeedback } from "../../src/cli/commands/feedback.js";
import { registerPlaylist } from "../../src/cli/commands/playlist.js";
import { registerRadio } from "../../src/cli/commands/radio.js";
import { registerTrain } from "../../src/cli/commands/train.js";
import { songKey } from "../../src/data/song-key.js";
import { Store } from "../../src/store/store.js";
import { runCommand } from "../run-command.js";
import { HETREC as hetrec, hetrecPresent as present, importHetrec } from "./hetrec-store.js";

if (!present) console.warn(`skipping the HetRec radio acceptance test: ${hetrec} is absent`);

/** Artists anyone would call close to Radiohead. */
const NEIGHBOURS = ["Thom Yorke", "Muse", "Sigur Rós", "Coldplay", "Blur", "Jonny Greenwood", "Portishead", "Arcade Fire", "Björk", "Beck", "The Smashing Pumpkins", "Pixies", "Interpol"];

describe.skipIf(!present)(`radio on HetRec 2011 (needs ${hetrec})`, () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-radio-hetrec-"));
  const db = path.join(scratch, "store.duckdb");
  const run = (...args: string[]) => runCommand(db, [registerTrain, registerRadio, registerFeedback, registerPlaylist], args);

  beforeAll(async () => {
    await importHetrec(db);
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

  it("a ban takes the artist out of that listener's radio and radio playlist, not anyone else's", async () => {
    const radioOf = async (user: string) =>
      JSON.parse(await run("radio", "--seed", "Radiohead", "--user", user, "-k", "30", "--json")).radio.map((r: { artist: string }) => r.artist) as string[];
    const before = await radioOf("3");
    const banned = before[0];
    await run("feedback", "--user", "3", "--ban-artist", banned);
    const after = await radioOf("3");
    expect(after).toHaveLength(30);
    expect(after).not.toContain(banned);
    const playlist = await run("playlist", "--radio", "Radiohead", "--user", "3", "-k", "30", "--format", "xspf");
    expect(playlist.match(/<track>/g)).toHaveLength(30);
    expect(playlist).not.toContain(`<creator>${banned}</creator>`);
    expect(await radioOf("4")).toContain(banned);
    await run("feedback", "--user", "3", "--unban-artist", banned);
    expect(await radioOf("3")).toEqual(before);
  });

  it("--discovery 1 leaves only artists the listener never played, --discovery 0 only ones they did", async () => {
    const artistsOf = async (discovery: string) =>
      JSON.parse(await run("radio", "--seed", "Radiohead", "--user", "2", "-k", "20", "--discovery", discovery, "--json")).radio.map((r: { artist: string }) => r.artist) as string[];
    const store = await Store.open(db, { readOnly: true });
    let played: Set<string>;
    try {
      const rows = await store.all("SELECT DISTINCT a.name FROM events e JOIN users u USING (user_id) JOIN items i USING (item_id) JOIN artists a USING (artist_id) WHERE u.name = '2'");
      played = new Set(rows.map((r) => String(r.name)));
    } finally {
      store.close();
    }
    const fresh = await artistsOf("1");
    expect(fresh).toHaveLength(20);
    for (const artist of fresh) expect(played.has(artist)).toBe(false);
    const familiar = await artistsOf("0");
    expect(familiar.length).toBeGreaterThan(0);
    for (const artist of familiar) expect(played.has(artist)).toBe(true);
  });
});
