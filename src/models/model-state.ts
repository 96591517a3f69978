/**
 * What a fitted model persists: JSON-able parameters plus named typed arrays (written as raw
 * binary files by the bundle). Composite models reference their fitted parts as components.
 */
import type { Recommender } from "./recommender.js";

export type ModelArray = Float32Array | Int32Array;

export interface ModelState {
  params: Record<string, unknown>;
  arrays: Record<string, ModelArray>;
  /** Fitted sub-models (the hybrid's parts), persisted alongside or by reference. */
  components?: Record<string, Recommender>;
}
