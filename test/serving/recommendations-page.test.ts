/** The listener page's "Already played" choices: time windows only where the data has play dates. */
import { describe, expect, it } from "vitest";
import { recommendationsPage, type RecommendationsPageData } from "../../src/serving/pages/recommendations-page.js";

const page = (overrides: Partial<RecommendationsPageData>): string =>
  recommendationsPage({
    user: "alice",
    k: 10,
    onePerArtist: false,
    discovery: null,
    played: "",
    datedPlays: true,
    libraryOnly: false,
    libraryFiles: 0,
    defaultModel: "hybrid",
    results: [],
    profile: null,
    banForm: null,
    banned: [],
    ...overrides,
  });

const choices = (html: string): string[] => [...html.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);

describe("the Already played choices", () => {
  it("offer the heard-within windows on dated data", () => {
    expect(choices(page({}))).toEqual(["", "7d", "30d", "90d", "365d", "all"]);
  });

  it("leave them out on undated data (HetRec), but keep a window the URL asked for", () => {
    expect(choices(page({ datedPlays: false }))).toEqual(["", "all"]);
    expect(choices(page({ datedPlays: false, played: "30d" }))).toEqual(["", "30d", "all"]);
  });
});
