import path from "node:path";

export const DEFAULT_DB = path.join("data", "musicrec.duckdb");

/** Store file: --db flag, else MUSICREC_DB, else ./data/musicrec.duckdb. */
export function resolveDbPath(flag?: string): string {
  return path.resolve(flag ?? process.env.MUSICREC_DB ?? DEFAULT_DB);
}

/** The trained model bundle lives next to the store: data/musicrec.duckdb -> data/musicrec.models/. */
export function bundleDirFor(dbPath: string): string {
  const parsed = path.parse(dbPath);
  return path.join(parsed.dir, `${parsed.name}.models`);
}

/**
 * Where public datasets are downloaded and unpacked: MUSICREC_DATASETS_CACHE, else a `datasets`
 * folder next to the store (data/datasets/ by default).
 */
export function datasetsDirFor(dbPath: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.MUSICREC_DATASETS_CACHE || path.join(path.dirname(dbPath), "datasets"));
}
