import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { silentProgress, type Progress } from "../util/progress.js";
import type { Store } from "../store/store.js";
import { generateDataset } from "./generate/generate.js";
import { importPaths, type ImportSummary } from "./import-files.js";

/** The built-in default dataset: synthetic (no real listening data ships with musicrec). */
export const DEMO_DATASET = { users: 300, scrobbles: 100_000, seed: 42 } as const;

/**
 * Generates the synthetic demo dataset into a temp folder and imports it (recorded as synthetic,
 * see Store.isSynthetic); a few seconds. Importing into a store that already has it adds nothing.
 */
export async function loadDemoDataset(store: Store, progress: Progress = silentProgress): Promise<ImportSummary> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-demo-"));
  try {
    const { output } = await generateDataset({ output: path.join(folder, "synthetic-demo.csv"), format: "kaggle", ...DEMO_DATASET, progress });
    return await importPaths(store, [output], { format: "kaggle", synthetic: true, progress });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
