/**
 * On HetRec 2011 Last.fm-2k (items are artists): a ban removes the artist from that listener's
 * recommendations and playlists of every model, and the familiar ↔ new dial brings back the
 * artists they played at 0. Skips when ../shared/data is absent.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerFeedback } from "../../src/cli/commands/feedback.js";
import { registerPlaylist } from "../../src/cli/commands/playlist.js";
import { registerRecommend } from "../../src/cli/commands/recommend.js";
import { registerTrain } from "../../src/cli/commands/train.js";
import { runCommand } from "../run-command.js";
import { HETREC as hetrec, hetrecPresent as present, importHetrec } from "./hetrec-store.js";

if (!present) console.warn(`skipping the HetRec ban test: ${hetrec} is absent`);

describe.skipIf(!present)(`bans on HetRec (needs ${hetrec})`, () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-hetrec-feedback-"));
  const db = path.join(scratch, "store.duckdb");
  const run = (...args: string[]) => runCommand(db, [registerTrain, registerRecommend, registerPlaylist, registerFeedback], args);
  const artists = async (model: string, ...flags: string[]) =>
    (JSON.parse(await run("recommend", "--user", "2", "--model", model, "-k", "30", "--json", ...flags)).recommendations as { artist: string }[]).map(
      (r) => r.artist,
    );

  beforeAll(async () => {
    await importHetrec(db);
    await run("train", "--models", "popularity,svd", "--factors", "16", "--json");
  }, 300_000);
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("a banned artist leaves the listener's recommendations of every model and their playlists", async () => {
    const before = await artists("svd");
    const banned = before[0];
    await run("feedback", "--user", "2", "--ban-artist", banned);
    for (const model of ["svd", "popularity"]) {
      const after = await artists(model);
      expect(after).toHaveLength(30);
      expect(after).not.toContain(banned);
    }
    const jspf = JSON.parse(await run("playlist", "--user", "2", "--format", "jspf", "--all-tracks", "-k", "50"));
    const creators = jspf.playlist.track.map((t: { creator: string }) => t.creator);
    expect(creators).toHaveLength(50);
    expect(creators).not.toContain(banned);
    // Artist-level data names no tracks.
    await expect(run("feedback", "--user", "2", "--ban-track", `${banned} - Creep`)).rejects.toThrow(/knows no track of .*: ban the artist instead/);
  }, 120_000);

  it("at artist level the dial's familiar end is the artists the listener played", async () => {
    const played = await artists("svd", "--discovery", "0");
    const fresh = await artists("svd", "--discovery", "1");
    expect(played).toHaveLength(30);
    for (const artist of played) expect(fresh).not.toContain(artist);
    expect(await artists("svd", "--discovery", "1")).toEqual(await artists("svd", "--new-artists-only"));
  }, 60_000);
});
