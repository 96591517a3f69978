/**
 * The folder layout Spark ML's `model.write().save(DIR)` produces (DefaultParamsWriter):
 *
 *   DIR/metadata/part-00000   one JSON line: class, timestamp, sparkVersion, uid, paramMap,
 *                             defaultParamMap (Spark ≥ 2.4) and model extras (ALSModel: rank)
 *   DIR/<data folder>/        Parquet part files (part-00000-<uuid>-c000.snappy.parquet …)
 *
 * Hadoop's writers add `_SUCCESS` markers and `.name.crc` checksums next to the parts; like Spark's
 * own reader, files whose names start with "_" or "." are not data.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { UserError } from "../util/errors.js";

export interface SparkMetadata {
  class: string;
  uid: string;
  sparkVersion: string;
  paramMap: Record<string, unknown>;
  defaultParamMap: Record<string, unknown>;
  /** The whole JSON object, for model-specific extras such as ALSModel's `rank`. */
  raw: Record<string, unknown>;
}

/** The metadata of a saved Spark ML object, checked to be of `expectedClass` when given. */
export async function readSparkMetadata(dir: string, expectedClass?: string): Promise<SparkMetadata> {
  await requireFolder(dir, "a saved Spark model");
  const file = path.join(dir, "metadata", "part-00000");
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch {
    throw new UserError(`${file} is missing: ${dir} is not a folder saved by Spark's model.write().save()`);
  }
  const line = text.split("\n").find((l) => l.trim() !== "");
  let json: unknown;
  try {
    json = line === undefined ? undefined : JSON.parse(line);
  } catch {
    throw new UserError(`${file}: line 1 is not JSON`);
  }
  if (typeof json !== "object" || json === null || typeof (json as { class?: unknown }).class !== "string") {
    throw new UserError(`${file}: no "class" field (not Spark ML metadata)`);
  }
  const raw = json as Record<string, unknown>;
  if (expectedClass && raw.class !== expectedClass) {
    throw new UserError(`${dir} holds a ${String(raw.class)}, not an ${expectedClass}`);
  }
  const object = (value: unknown) => (typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {});
  return {
    class: String(raw.class),
    uid: String(raw.uid ?? ""),
    sparkVersion: String(raw.sparkVersion ?? "unknown"),
    paramMap: object(raw.paramMap),
    defaultParamMap: object(raw.defaultParamMap),
    raw,
  };
}

/** A param as Spark resolves it: set explicitly, else its default. */
export function sparkParam(metadata: SparkMetadata, name: string): unknown {
  return metadata.paramMap[name] ?? metadata.defaultParamMap[name];
}

/** The Parquet part files of a data folder (markers and checksums skipped); an error when none. */
export async function parquetParts(folder: string): Promise<string[]> {
  await requireFolder(folder, "a Parquet folder");
  const entries = await fs.readdir(folder, { withFileTypes: true });
  const parts = entries
    .filter((e) => e.isFile() && !e.name.startsWith("_") && !e.name.startsWith("."))
    .map((e) => path.join(folder, e.name))
    .sort();
  if (parts.length === 0) throw new UserError(`${folder} has no Parquet part files (only ${entries.map((e) => e.name).join(", ") || "nothing"})`);
  return parts;
}

async function requireFolder(dir: string, what: string): Promise<void> {
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat) throw new UserError(`${dir} is missing (expected ${what})`);
  if (!stat.isDirectory()) throw new UserError(`${dir} is not a folder (expected ${what})`);
}

/** The first line of an error's message (DuckDB's carry a multi-line context). */
export const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split("\n")[0];
