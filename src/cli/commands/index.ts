import type { Command } from "commander";
import { registerImport } from "./import.js";
import { registerStats } from "./stats.js";
import { registerGenerate } from "./generate.js";
import { registerTrain } from "./train.js";
import { registerRecommend } from "./recommend.js";
import { registerSimilar } from "./similar.js";
import { registerEvaluate } from "./evaluate.js";
import { registerServe } from "./serve.js";
import { registerDemo } from "./demo.js";
import { registerLibrary } from "./library.js";
import { registerPlaylist } from "./playlist.js";
import { registerRadio } from "./radio.js";
import { registerFeedback } from "./feedback.js";
import { registerDatasets } from "./datasets.js";
import { registerExport } from "./export.js";
import { registerImportModel } from "./import-model.js";
import { registerSync } from "./sync.js";
import { registerEnrich } from "./enrich.js";

/** Every subcommand, one file each. */
export const COMMANDS: ((program: Command) => void)[] = [
  registerImport,
  registerDatasets,
  registerSync,
  registerEnrich,
  registerStats,
  registerGenerate,
  registerTrain,
  registerRecommend,
  registerSimilar,
  registerRadio,
  registerEvaluate,
  registerServe,
  registerDemo,
  registerLibrary,
  registerPlaylist,
  registerFeedback,
  registerExport,
  registerImportModel,
];
