import { describe, expect, it } from "vitest";
import { readHistoryFile } from "../../src/ingest/read-history.js";
import { fixture } from "./helpers.js";

describe("readHistoryFile", () => {
  it("aggregates an export per item key with the most common spelling, without a store", async () => {
    const history = await readHistoryFile(fixture("lastfm-export-uts.csv"));
    expect(history.format).toBe("lastfm-export");
    expect(history.users).toEqual(["lastfm-export-uts"]);
    expect(history.rows).toEqual([
      { artist: "Radiohead", track: "Airbag", album: "OK Computer", plays: 2 },
      { artist: "Radiohead", track: "Paranoid Android", album: "OK Computer", plays: 1 },
    ]);
    expect(history.rejected.count).toBe(0);
  });

  it("reports bad rows with line numbers and honours --format / --user", async () => {
    const history = await readHistoryFile(fixture("kaggle-bad-rows.csv"), { format: "kaggle", user: "erin" });
    expect(history.rows).toHaveLength(3);
    expect(history.rejected.count).toBe(6);
    expect(history.rejected.examples[0]).toEqual({ line: 3, reason: "empty artist" });
  });

  it("reads JSON exports and refuses folders and unknown files", async () => {
    const spotify = await readHistoryFile(fixture("spotify-extended.json"));
    expect(spotify.rows.map((row) => [row.track, row.plays])).toEqual([
      ["Angel", 1],
      ["Teardrop", 1],
    ]);
    await expect(readHistoryFile(fixture("hetrec-mini"))).rejects.toThrow(/is a folder/);
    await expect(readHistoryFile(fixture("hetrec-mini/artists.dat"))).rejects.toThrow(/unknown format/);
    await expect(readHistoryFile(fixture("missing.csv"))).rejects.toThrow(/cannot read .*missing\.csv/);
  });
});
