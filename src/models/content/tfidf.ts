/**
 * TF-IDF document vectors as scikit-learn's TfidfVectorizer(stop_words="english") computes them
 * with its defaults: raw term counts, smooth idf = ln((1 + n) / (1 + df)) + 1, rows scaled to unit
 * L2 norm. Output is a sparse documents × terms CSR matrix (term columns sorted within a row).
 */
import { CsrMatrix } from "../../data/csr.js";
import { contentTokens } from "./tokenize.js";

export interface TfidfResult {
  matrix: CsrMatrix;
  /** Term of each column. */
  vocabulary: string[];
  idf: Float64Array;
}

export function tfidf(documents: Iterable<string>, onDocument?: (done: number) => void): TfidfResult {
  const termIndex = new Map<string, number>();
  const indptr: number[] = [0];
  let indices = new Int32Array(1024);
  let counts = new Float32Array(1024);
  // Where term t sits in the current row (valid when rowOf[t] is the current document).
  let rowOf = new Int32Array(1024).fill(-1);
  let slotOf = new Int32Array(1024);
  let nnz = 0;
  let docs = 0;
  for (const text of documents) {
    const start = nnz;
    for (const token of contentTokens(text)) {
      let t = termIndex.get(token);
      if (t === undefined) {
        termIndex.set(token, (t = termIndex.size));
        if (t >= rowOf.length) {
          rowOf = grow(rowOf, new Int32Array(rowOf.length * 2).fill(-1));
          slotOf = grow(slotOf, new Int32Array(slotOf.length * 2));
        }
      }
      if (rowOf[t] === docs) {
        counts[slotOf[t]]++;
        continue;
      }
      if (nnz === indices.length) {
        indices = grow(indices, new Int32Array(indices.length * 2));
        counts = grow(counts, new Float32Array(counts.length * 2));
      }
      rowOf[t] = docs;
      slotOf[t] = nnz;
      indices[nnz] = t;
      counts[nnz++] = 1;
    }
    sortRow(indices, counts, slotOf, start, nnz);
    indptr.push(nnz);
    if (++docs % 10000 === 0) onDocument?.(docs);
  }

  const terms = termIndex.size;
  const df = new Int32Array(terms);
  for (let p = 0; p < nnz; p++) df[indices[p]]++;
  const idf = new Float64Array(terms);
  for (let t = 0; t < terms; t++) idf[t] = Math.log((1 + docs) / (1 + df[t])) + 1;

  const data = new Float32Array(nnz);
  for (let d = 0; d < docs; d++) {
    let norm = 0;
    for (let p = indptr[d]; p < indptr[d + 1]; p++) {
      const w = counts[p] * idf[indices[p]];
      norm += w * w;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let p = indptr[d]; p < indptr[d + 1]; p++) data[p] = counts[p] * idf[indices[p]] * scale;
  }
  const matrix = new CsrMatrix(docs, terms, Int32Array.from(indptr), indices.slice(0, nnz), data);
  return { matrix, vocabulary: [...termIndex.keys()], idf };
}

function grow<T extends Int32Array | Float32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Sorts one row by term index; slotOf[t] is where term t's count currently sits. */
function sortRow(indices: Int32Array, counts: Float32Array, slotOf: Int32Array, start: number, end: number): void {
  if (end - start < 2) return;
  const terms = indices.slice(start, end).sort();
  const unsorted = counts.slice(start, end);
  for (let i = 0; i < terms.length; i++) {
    indices[start + i] = terms[i];
    counts[start + i] = unsorted[slotOf[terms[i]] - start];
  }
}
