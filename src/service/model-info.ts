import type { ModelName, Recommender } from "../models/recommender.js";
import { ImportedAlsRecommender } from "../models/imported-als.js";

export interface ModelInfo {
  name: string;
  title: string;
  description: string;
}

/** Human names and one-line descriptions of the trained models, in the order the pages show them. */
export const MODEL_INFO: Record<ModelName, Omit<ModelInfo, "name">> = {
  svd: { title: "SVD", description: "Collaborative filtering: truncated SVD of the weighted play matrix (PureSVD)" },
  content: { title: "Content", description: "TF-IDF over artist, album, track and artist tags; cosine similarity" },
  hybrid: { title: "Hybrid", description: "Collaborative and content scores fused; short histories lean on content" },
  als: { title: "ALS", description: "Implicit alternating least squares (Hu, Koren & Volinsky)" },
  popularity: { title: "Popularity", description: "The most played items overall: the baseline" },
};

/** Models shown side by side on the recommendation pages (popularity stays in the API); imported models are shown too. */
export const PAGE_MODELS: readonly ModelName[] = ["svd", "content", "hybrid", "als"];

/** Display order of every trained model; imported models follow, by name. */
export const MODEL_ORDER: readonly ModelName[] = ["svd", "content", "hybrid", "als", "popularity"];

/** Title and description of a bundle model: a trained one's from MODEL_INFO, an imported one's from its source. */
export function modelInfo(name: string, model: Recommender | undefined): ModelInfo {
  if (model instanceof ImportedAlsRecommender) {
    const { source } = model.params;
    return {
      name,
      title: name,
      description: `Implicit ALS trained by Apache Spark ${source.sparkVersion} (rank ${model.learned.itemFactors.cols}), imported from ${source.modelDir}`,
    };
  }
  return { name, ...(MODEL_INFO[name as ModelName] ?? { title: name, description: "" }) };
}
