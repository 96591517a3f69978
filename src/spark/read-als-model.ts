/**
 * Reads a Spark ML `ALSModel` saved with `model.write().save(DIR)` (ALSModelWriter):
 * metadata/part-00000 with the class and `rank` (top-level extra metadata; `paramMap.rank` is
 * accepted too), and userFactors/ and itemFactors/ — Parquet parts of (id INT, features
 * array<float>) — read with DuckDB's Parquet reader. Every row must have exactly `rank` finite
 * features and ids must be unique: anything else is a UserError naming the folder and id.
 */
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { UserError } from "../util/errors.js";
import { withScratchDuckDb } from "../store/scratch-duckdb.js";
import { sqlString } from "../store/sql.js";
import { readFloatLists, readTypedColumns } from "../store/typed-columns.js";
import { firstLine, parquetParts, readSparkMetadata, sparkParam } from "./spark-layout.js";

export const ALS_MODEL_CLASS = "org.apache.spark.ml.recommendation.ALSModel";

/** One side's factors, rows in increasing id order: row r (id ids[r]) at features[r·rank…]. */
export interface FactorTable {
  ids: Int32Array;
  features: Float32Array;
}

export interface SparkAlsModel {
  uid: string;
  sparkVersion: string;
  rank: number;
  /** The columns the model was trained on (paramMap userCol / itemCol). */
  userCol: string;
  itemCol: string;
  users: FactorTable;
  items: FactorTable;
}

export async function readSparkAlsModel(dir: string): Promise<SparkAlsModel> {
  const metadata = await readSparkMetadata(dir, ALS_MODEL_CLASS);
  const rank = metadata.raw.rank ?? metadata.paramMap.rank;
  if (typeof rank !== "number" || !Number.isInteger(rank) || rank < 1) {
    throw new UserError(`${path.join(dir, "metadata", "part-00000")}: "rank" must be a positive integer, got ${JSON.stringify(rank)}`);
  }
  const userParts = await parquetParts(path.join(dir, "userFactors"));
  const itemParts = await parquetParts(path.join(dir, "itemFactors"));
  return withScratchDuckDb(async (connection) => ({
    uid: metadata.uid,
    sparkVersion: metadata.sparkVersion,
    rank,
    userCol: String(sparkParam(metadata, "userCol") ?? "user"),
    itemCol: String(sparkParam(metadata, "itemCol") ?? "item"),
    users: await readFactors(connection, path.join(dir, "userFactors"), userParts, rank, "user"),
    items: await readFactors(connection, path.join(dir, "itemFactors"), itemParts, rank, "item"),
  }));
}

async function readFactors(connection: DuckDBConnection, folder: string, parts: string[], rank: number, side: string): Promise<FactorTable> {
  const source = `read_parquet([${parts.map(sqlString).join(", ")}])`;
  let columns: Map<string, string>;
  try {
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
    columns = new Map(described.getRowObjects().map((row) => [String(row.column_name), String(row.column_type)]));
  } catch (error) {
    throw new UserError(`${folder}: cannot read its Parquet parts (${firstLine(error)})`);
  }
  const idType = columns.get("id");
  const featuresType = columns.get("features");
  if (!idType || !/^(TINYINT|SMALLINT|INTEGER|BIGINT)$/.test(idType) || !featuresType || !/^(FLOAT|DOUBLE)\[\d*\]$/.test(featuresType)) {
    throw new UserError(
      `${folder}: expected columns id INT and features array<float>, found ${[...columns].map(([name, type]) => `${name} ${type}`).join(", ")}`,
    );
  }

  // list_count skips NULL elements: a row with one has fewer than len(features) counted.
  const bad = `features IS NULL OR len(features) <> ${rank} OR list_count(features) <> ${rank}`;
  const check = (
    await connection.runAndReadAll(
      `SELECT count(*) AS n, count(*) FILTER (id IS NULL) AS null_ids,
              count(*) FILTER (id NOT BETWEEN -2147483648 AND 2147483647) AS wide_ids,
              arg_min(id, id) FILTER (${bad}) AS bad_id, arg_min(len(features), id) FILTER (${bad}) AS bad_length
       FROM ${source}`,
    )
  ).getRowObjects()[0];
  const n = Number(check.n);
  if (n === 0) throw new UserError(`${folder} is empty: its ${parts.length} part file(s) hold no ${side} factors`);
  if (Number(check.null_ids) > 0 || Number(check.wide_ids) > 0) throw new UserError(`${folder}: ${side} ids must be non-null 32-bit integers`);
  if (check.bad_id != null) {
    const length = check.bad_length == null ? "no" : Number(check.bad_length) === rank ? "missing (NULL)" : String(check.bad_length);
    throw new UserError(`${folder}: ${side} ${String(check.bad_id)} has ${length} features, but the model's rank is ${rank}`);
  }

  const [ids] = await readTypedColumns(connection, `SELECT id FROM ${source} ORDER BY id`, ["int32"]);
  const twice = ids.findIndex((id, row) => row > 0 && id === ids[row - 1]);
  if (twice > 0) throw new UserError(`${folder}: ${side} id ${ids[twice]} appears more than once`);
  const features = await readFloatLists(connection, `SELECT CAST(features AS FLOAT[]) FROM ${source} ORDER BY id`, rank);
  const nonFinite = features.findIndex((value) => !Number.isFinite(value));
  if (nonFinite >= 0) throw new UserError(`${folder}: ${side} ${ids[Math.floor(nonFinite / rank)]} has non-finite features (NaN or infinity)`);
  return { ids: ids as Int32Array, features };
}
