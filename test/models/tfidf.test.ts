import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { tfidf } from "../../src/models/content/tfidf.js";
import { tokenize, contentTokens } from "../../src/models/content/tokenize.js";
import { ENGLISH_STOP_WORDS } from "../../src/models/content/stop-words.js";

const DOCUMENTS = [
  "Björk Homogenic Jóga electronic icelandic female vocalists",
  "Sigur Rós ( ) Untitled post-rock icelandic ambient",
  "AC/DC Back in Black Hells Bells hard rock 1980 rock",
  "Mötley Crüe Dr. Feelgood glam metal the 80s",
  "The The Soul Mining Uncertain Smile new wave the and of",
  "坂本龍一 Merry Christmas Mr. Lawrence 日本 soundtrack",
  "école\u0301 cafe\u0301 naïve x² 1½ under_score a b I",
  "Ελληνικά ΣΟΦΟΣ σοφός Ünïcödé façade",
  "",
];

const SKLEARN = `
import json, sys
from sklearn.feature_extraction.text import TfidfVectorizer
docs = json.load(sys.stdin)
v = TfidfVectorizer(stop_words="english")
x = v.fit_transform(docs).tocoo()
terms = v.get_feature_names_out()
out = [dict() for _ in docs]
for r, c, w in zip(x.row, x.col, x.data):
    out[r][terms[c]] = float(w)
print(json.dumps(out))
`;

function sklearnWeights(): Record<string, number>[] | null {
  const run = spawnSync("/usr/bin/python3", ["-c", SKLEARN], { input: JSON.stringify(DOCUMENTS), encoding: "utf8" });
  return run.status === 0 ? (JSON.parse(run.stdout) as Record<string, number>[]) : null;
}

const reference = sklearnWeights();

describe("tokenize", () => {
  it("takes runs of two or more Unicode word characters, lowercased", () => {
    expect(tokenize("AC/DC Hells-Bells x² a_b I 1½ Ünï")).toEqual(["ac", "dc", "hells", "bells", "x²", "a_b", "1½", "ünï"]);
  });

  it("treats combining marks as separators, like Python's \\w", () => {
    expect(tokenize("cafe\u0301 ok")).toEqual(["cafe", "ok"]);
  });

  it("drops scikit-learn's 318 English stop words", () => {
    expect(ENGLISH_STOP_WORDS.size).toBe(318);
    expect(contentTokens("The Who and the Rolling Stones")).toEqual(["rolling", "stones"]);
  });
});

describe.skipIf(!reference)("tfidf matches scikit-learn TfidfVectorizer(stop_words='english')", () => {
  it("has the same vocabulary and weights per document to 1e-6", () => {
    const { matrix, vocabulary } = tfidf(DOCUMENTS);
    expect(new Set(vocabulary)).toEqual(new Set(reference!.flatMap((doc) => Object.keys(doc))));
    for (let d = 0; d < DOCUMENTS.length; d++) {
      const ours: Record<string, number> = {};
      for (let p = matrix.indptr[d]; p < matrix.indptr[d + 1]; p++) ours[vocabulary[matrix.indices[p]]] = matrix.data[p];
      expect(Object.keys(ours).sort()).toEqual(Object.keys(reference![d]).sort());
      for (const [term, weight] of Object.entries(reference![d])) expect(Math.abs(ours[term] - weight)).toBeLessThan(1e-6);
    }
  });
});

if (!reference) console.warn("skipping the scikit-learn comparison: /usr/bin/python3 with sklearn is not available");
