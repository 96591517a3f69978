/**
 * What a fitted model persists, scikit-learn style: the constructor parameters unchanged, and
 * apart from them what `fit` learned — plain JSON values and typed arrays, nested as the model
 * keeps them (the bundle writes every typed array as a raw binary file). Composite models
 * reference their fitted parts as components.
 */
import type { Recommender } from "./recommender.js";

export type ModelArray = Float32Array | Int32Array;

/** JSON values and typed arrays, nested in plain objects and lists. */
export type LearnedValue = ModelArray | string | number | boolean | null | readonly LearnedValue[] | { readonly [key: string]: LearnedValue };

export interface ModelState {
  /** The constructor parameters, exactly as the model holds them. */
  params: object;
  /** What fit learned. */
  learned: object;
  /** Fitted sub-models (the hybrid's parts), persisted alongside or by reference. */
  components?: Record<string, Recommender>;
}

export const isModelArray = (value: unknown): value is ModelArray => value instanceof Float32Array || value instanceof Int32Array;

/** `learned` with every typed array replaced by its type and length: the JSON-able summary `train --json` prints. */
export function learnedSummary(learned: unknown): unknown {
  if (isModelArray(learned)) return { type: learned instanceof Int32Array ? "int32" : "float32", length: learned.length };
  if (Array.isArray(learned)) return learned.map(learnedSummary);
  if (learned !== null && typeof learned === "object") {
    return Object.fromEntries(Object.entries(learned).map(([key, value]) => [key, learnedSummary(value)]));
  }
  return learned;
}
