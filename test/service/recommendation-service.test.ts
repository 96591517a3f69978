import { describe, expect, it } from "vitest";
import type { ItemCatalog } from "../../src/data/interactions.js";
import { fitModels } from "../../src/models/fit-models.js";
import { ItemLookup } from "../../src/service/item-lookup.js";
import { RecommendationService } from "../../src/service/recommendation-service.js";
import { UserError } from "../../src/util/errors.js";
import { clusterTraining } from "../models/fixtures.js";

async function clusterService(): Promise<RecommendationService> {
  const training = clusterTraining();
  const { models } = await fitModels(["popularity", "content"], training);
  return new RecommendationService({ training, models, synthetic: false, trainedAt: "2026-01-01T00:00:00.000Z" });
}

describe("RecommendationService", () => {
  it("a known user's history is their training row; an unknown one is a 404 with close names", async () => {
    const service = await clusterService();
    const h = service.historyOf("cat");
    expect(Array.from(h.items)).toEqual([0, 2, 6]);
    expect(Array.from(h.plays)).toEqual([7, 2, 3]);
    expect(() => service.historyOf("nobody")).toThrow(UserError);
    expect(() => service.historyOf("cet")).toThrow(/unknown user "cet"; did you mean "cat"/);
  });

  it("uses hybrid when trained, else the first trained model, and names untrained models", async () => {
    const service = await clusterService();
    expect(service.defaultModel).toBe("content");
    expect(() => service.model("als")).toThrow(/"als" is not in the saved bundle \(trained: content, popularity\)/);
  });
});

describe("ItemLookup", () => {
  const catalog: ItemCatalog = {
    level: "track",
    keys: ["a - ha\u001ftake on me", "a\u001fha - take on me", "radiohead\u001fcreep"],
    artists: ["A - Ha", "A", "Radiohead"],
    tracks: ["Take On Me", "Ha - Take On Me", "Creep"],
    albums: [null, null, null],
    artistIndex: Int32Array.from([0, 1, 2]),
    tags: [[], [], []],
  };
  const lookup = new ItemLookup(catalog);

  it("finds an item by key, and by 'Artist - Track' at any separator, ignoring case and spacing", () => {
    expect(lookup.find("radiohead\u001fcreep")).toBe(2);
    expect(lookup.find("RADIOHEAD  -  Creep")).toBe(2);
    expect(lookup.find("Radiohead – Creep")).toBe(2);
    // "A - Ha - Take On Me" splits as "A" + "Ha - Take On Me" first: the first separator that names an item wins.
    expect(lookup.find("A - Ha - Take On Me")).toBe(1);
    expect(lookup.find("a - ha\u001ftake on me")).toBe(0);
  });

  it("404s an unknown name, suggesting close ones", () => {
    expect(() => lookup.find("Radiohead - Creeps")).toThrow(/unknown item "Radiohead - Creeps"; did you mean "Radiohead - Creep"/);
    expect(() => lookup.find("nothing like it at all")).toThrow(expect.objectContaining({ status: 404 }));
  });

  it("resolves artist-level items by artist name", () => {
    const artists = new ItemLookup({ ...catalog, level: "artist", keys: ["a - ha", "a", "radiohead"], tracks: [null, null, null] });
    expect(artists.find("A-ha".replace("-", " - "))).toBe(0);
    expect(() => artists.find("Radiohed")).toThrow(/unknown artist "Radiohed"; did you mean "Radiohead"/);
  });
});

