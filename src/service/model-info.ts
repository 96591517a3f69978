import type { ModelName } from "../models/recommender.js";

/** Human names and one-line descriptions of the models, in the order the pages show them. */
export const MODEL_INFO: Record<ModelName, { title: string; description: string }> = {
  svd: { title: "SVD", description: "Collaborative filtering: truncated SVD of the weighted play matrix (PureSVD)" },
  content: { title: "Content", description: "TF-IDF over artist, album, track and artist tags; cosine similarity" },
  hybrid: { title: "Hybrid", description: "Collaborative and content scores fused; short histories lean on content" },
  als: { title: "ALS", description: "Implicit alternating least squares (Hu, Koren & Volinsky)" },
  popularity: { title: "Popularity", description: "The most played items overall: the baseline" },
};

/** Models shown side by side on the recommendation pages (popularity stays in the API). */
export const PAGE_MODELS: readonly ModelName[] = ["svd", "content", "hybrid", "als"];

/** Display order of every model. */
export const MODEL_ORDER: readonly ModelName[] = ["svd", "content", "hybrid", "als", "popularity"];
