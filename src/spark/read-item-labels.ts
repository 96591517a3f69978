/**
 * What a Spark model's item ids stand for, from one of two folders:
 *  - a `musicrec export parquet` folder: items.parquet maps item_id → the store's item key;
 *  - a saved Spark `StringIndexerModel` (metadata/part-00000 + data/*.parquet): id i ↔ label i of
 *    `labelsArray` (Spark ≥ 3.0; for an indexer of several columns, the one whose output column
 *    is the ALS model's item column) or of `labels` (older Spark). Labels are item keys or
 *    display names ("Artist", "Artist - Track").
 */
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../util/errors.js";
import { withScratchDuckDb } from "../store/scratch-duckdb.js";
import { sqlString } from "../store/sql.js";
import { readExportManifest, type ExportManifest } from "./export-manifest.js";
import { firstLine, parquetParts, readSparkMetadata, sparkParam } from "./spark-layout.js";

export const STRING_INDEXER_CLASS = "org.apache.spark.ml.feature.StringIndexerModel";

export type ItemLabels =
  | { source: "export"; dir: string; manifest: ExportManifest; /** key of item id i */ labels: string[] }
  | { source: "string-indexer"; dir: string; /** label of item id i */ labels: string[] };

/** `itemCol`: the ALS model's item column, to pick the right labels of a multi-column indexer. */
export async function readItemLabels(dir: string, itemCol: string): Promise<ItemLabels> {
  const manifest = await readExportManifest(dir);
  if (manifest) return { source: "export", dir, manifest, labels: await readExportKeys(dir, manifest) };
  const metadata = await readSparkMetadata(dir).catch(() => {
    throw new UserError(`--items ${dir}: neither a musicrec export folder (no musicrec-export.json) nor a saved Spark StringIndexerModel (no metadata/part-00000)`);
  });
  if (metadata.class !== STRING_INDEXER_CLASS) throw new UserError(`--items ${dir} holds a ${metadata.class}, not a ${STRING_INDEXER_CLASS}`);
  const outputs = sparkParam(metadata, "outputCols") ?? [sparkParam(metadata, "outputCol")];
  const outputCols = Array.isArray(outputs) ? outputs.map(String) : [];
  const parts = await parquetParts(path.join(dir, "data"));
  return { source: "string-indexer", dir, labels: await withScratchDuckDb((c) => readIndexerLabels(c, dir, parts, outputCols, itemCol)) };
}

async function readExportKeys(dir: string, manifest: ExportManifest): Promise<string[]> {
  const file = path.join(dir, "items.parquet");
  return withScratchDuckDb(async (connection) => {
    let rows;
    try {
      rows = await connection.runAndReadAll(`SELECT item_id, key FROM read_parquet(${sqlString(file)}) ORDER BY item_id`);
    } catch (error) {
      throw new UserError(`${file}: cannot read it (${firstLine(error)})`);
    }
    const [ids, keys] = rows.getColumns();
    if (ids.length !== manifest.items || ids.some((id, i) => Number(id) !== i)) {
      throw new UserError(`${file}: item ids must be 0 … ${manifest.items - 1} as musicrec-export.json says; the export folder was modified`);
    }
    return keys.map(String);
  });
}

async function readIndexerLabels(connection: DuckDBConnection, dir: string, parts: string[], outputCols: string[], itemCol: string): Promise<string[]> {
  const source = `read_parquet([${parts.map(sqlString).join(", ")}])`;
  const columns = new Set(
    (await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`).catch((error: unknown) => {
      throw new UserError(`${path.join(dir, "data")}: cannot read its Parquet parts (${firstLine(error)})`);
    }))
      .getRowObjects()
      .map((row) => String(row.column_name)),
  );
  let list: string;
  if (columns.has("labelsArray")) {
    const count = Number((await connection.runAndReadAll(`SELECT max(len(labelsArray)) FROM ${source}`)).getRows()[0][0] ?? 0);
    let which = 0;
    if (count > 1) {
      which = outputCols.indexOf(itemCol);
      if (which < 0) {
        throw new UserError(
          `${dir} indexes ${count} columns (${outputCols.join(", ") || "unnamed"}); none is the ALS model's item column "${itemCol}"`,
        );
      }
    }
    list = `labelsArray[${which + 1}]`;
  } else if (columns.has("labels")) {
    list = "labels";
  } else {
    throw new UserError(`${path.join(dir, "data")}: no labelsArray or labels column (found ${[...columns].join(", ")})`);
  }
  const rows = await connection.runAndReadAll(
    `SELECT unnest(l) AS label FROM (SELECT ${list} AS l FROM ${source} WHERE ${list} IS NOT NULL LIMIT 1)`,
  );
  const labels = rows.getColumns()[0]?.map(String) ?? [];
  if (labels.length === 0) throw new UserError(`${path.join(dir, "data")} holds no labels`);
  return labels;
}
