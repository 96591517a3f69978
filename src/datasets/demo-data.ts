/**
 * What `musicrec demo` (`npm start`) loads into an empty store: the real HetRec 2011 set when it
 * can be fetched within a short time (or is in the cache already), else the built-in synthetic
 * set, with the reason. MUSICREC_DEMO=synthetic skips the download.
 */
import { UserError } from "../util/errors.js";
import { silentProgress, type Progress } from "../util/progress.js";
import { loadDemoDataset } from "../ingest/demo-dataset.js";
import type { ImportSummary } from "../ingest/import-files.js";
import type { Store } from "../store/store.js";
import { datasetNamed } from "./catalog.js";
import { fetchDataset } from "./fetch-dataset.js";

export const DEMO_DATASET_NAME = "hetrec2011-lastfm-2k";

export interface DemoData {
  kind: "hetrec" | "synthetic";
  /** Why the synthetic set was loaded instead of HetRec. */
  reason?: string;
  import: ImportSummary;
}

export interface DemoOptions {
  cacheDir: string;
  /** The whole HetRec download; connecting must succeed within a third of it. */
  timeLimitMs?: number;
  env?: NodeJS.ProcessEnv;
  progress?: Progress;
  log?: (line: string) => void;
}

export const DEMO_TIME_LIMIT_MS = 25_000;

/** MUSICREC_DEMO: "synthetic" forces the synthetic set; unset or "auto" tries HetRec first. */
export function demoChoice(env: NodeJS.ProcessEnv = process.env): "auto" | "synthetic" {
  const value = (env.MUSICREC_DEMO ?? "auto").trim().toLowerCase();
  if (value === "auto" || value === "") return "auto";
  if (value === "synthetic") return "synthetic";
  throw new UserError(`invalid MUSICREC_DEMO="${env.MUSICREC_DEMO}": expected synthetic or auto`);
}

export async function loadDemoData(store: Store, options: DemoOptions): Promise<DemoData> {
  const env = options.env ?? process.env;
  const progress = options.progress ?? silentProgress;
  if (demoChoice(env) === "synthetic") {
    return { kind: "synthetic", reason: "MUSICREC_DEMO=synthetic asks for them", import: await loadDemoDataset(store, progress) };
  }
  const limit = options.timeLimitMs ?? DEMO_TIME_LIMIT_MS;
  try {
    const fetched = await fetchDataset(store, datasetNamed(DEMO_DATASET_NAME)!, {
      cacheDir: options.cacheDir,
      env,
      progress,
      log: options.log,
      download: {
        connectTimeoutMs: Math.round(limit / 3),
        idleTimeoutMs: Math.round(limit / 3),
        retries: 1,
        retryDelayMs: 500,
        failFastWhenUnreachable: true,
        signal: AbortSignal.timeout(limit),
      },
    });
    return { kind: "hetrec", import: fetched.import };
  } catch (error) {
    // Whatever went wrong, the demo still starts; a failed fetch or import left the store empty.
    const message = error instanceof Error ? error.message : String(error);
    const reason = `the HetRec 2011 dataset could not be fetched (${message.replace(/; nothing was imported$/, "")})`;
    return { kind: "synthetic", reason, import: await loadDemoDataset(store, progress) };
  }
}
