import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artistKey, isBlankSql, itemKey, normalizeName, normalizeNameSql, itemKeySql } from "../../src/data/item-key.js";
import type { Store } from "../../src/store/store.js";
import { openMemoryStore } from "../ingest/helpers.js";

const SAMPLES = [
  "  Björk ",
  "Bjo\u0308rk", // decomposed ö
  "ΣΟΦΙΑ ΣΑΣ", // final sigma
  "PİNHANİ", // dotted capital I
  "Eldad  Lidor",
  "a\u00a0\t\nb",
  "Straße",
  "\ufeffBOM",
  "ǅ",
  "Sigur\u2003Rós",
];

describe("item key normalisation", () => {
  let store: Store;
  beforeAll(async () => {
    store = await openMemoryStore();
  });
  afterAll(() => store.close());

  it("ignores case, Unicode composition and whitespace", () => {
    expect(artistKey("  Björk ")).toBe(artistKey("BJO\u0308RK"));
    expect(itemKey("Sigur Rós", "Hoppípolla")).toBe(itemKey("sigur  rós", " HOPPÍPOLLA"));
    expect(itemKey("Air", "Remember")).not.toBe(itemKey("Air", "Remember Me"));
    expect(itemKey("Air", null)).toBe(artistKey("Air"));
    expect(itemKey("a", "b")).toBe("a\u001fb");
  });

  it("computes exactly the keys the SQL import computes", async () => {
    for (const text of SAMPLES) {
      const [row] = await store.all(`SELECT ${normalizeNameSql("$text")} AS key, ${itemKeySql("$text", "$text")} AS item`, { text });
      expect(row.key, JSON.stringify(text)).toBe(normalizeName(text));
      expect(row.item, JSON.stringify(text)).toBe(itemKey(text, text));
    }
  });
});

describe("blank values", () => {
  it("isBlankSql is true exactly when the normalised key is empty", async () => {
    const store = await openMemoryStore();
    for (const text of ["", " ", "\t \u00a0", "\u3000", "\ufeff", " a", "a ", "é", "\u200b"]) {
      const [row] = await store.all(`SELECT ${isBlankSql("$text")} AS blank`, { text });
      expect(row.blank, JSON.stringify(text)).toBe(normalizeName(text) === "");
    }
    store.close();
  });
});
