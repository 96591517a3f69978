import { describe, expect, it } from "vitest";
import { ItemLookup } from "../../src/service/item-lookup.js";
import { namedCatalog as catalogOf } from "../models/fixtures.js";

describe("radio seeds", () => {
  const tracks = new ItemLookup(catalogOf([["Radiohead", "Creep"], ["Radiohead", "Karma Police"], ["Muse", "Uprising"], ["AC - DC", "Thunderstruck"]]));

  it("are tracks, or artists of track-level data with all their items", () => {
    expect(tracks.findSeed("radiohead - creep")).toEqual({ kind: "item", item: 0 });
    expect(tracks.findSeed("Radiohead – Karma Police")).toEqual({ kind: "item", item: 1 });
    expect(tracks.findSeed("RADIOHEAD")).toEqual({ kind: "artist", items: [0, 1] });
    expect(tracks.findSeed("AC - DC")).toEqual({ kind: "artist", items: [3] });
    expect(tracks.findSeed("AC - DC - Thunderstruck")).toEqual({ kind: "item", item: 3 });
  });

  it("unknown ones fail with one line offering close artists and tracks", () => {
    expect(() => tracks.findSeed("Radiohed")).toThrow('unknown artist or track "Radiohed"; did you mean "Radiohead"?');
    expect(() => tracks.findSeed("Radiohead - Karma Pol")).toThrow('unknown artist or track "Radiohead - Karma Pol"; did you mean "Radiohead", "Radiohead - Karma Police", "Radiohead - Creep"?');
    expect(() => tracks.findSeed("Radiohead - Something Else Entirely")).toThrow('did you mean "Radiohead", "Radiohead - Creep", "Radiohead - Karma Police"?');
    expect(() => tracks.findSeed("Nobody")).toThrow(/^unknown artist or track "Nobody"$/);
  });

  it("on artist-level data are artists, and a track names its artist in the error", () => {
    const artists = new ItemLookup(catalogOf([["Radiohead", null], ["Muse", null]]));
    expect(artists.findSeed("muse")).toEqual({ kind: "item", item: 1 });
    expect(() => artists.findSeed("Radiohead - Creep")).toThrow('unknown artist "Radiohead - Creep": the models know artists, not tracks; use "Radiohead"');
    expect(() => artists.findSeed("Muze")).toThrow('unknown artist "Muze"; did you mean "Muse"?');
  });
});
