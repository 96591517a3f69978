/**
 * Writes folders the way Spark ML's writers do (ALSModelWriter, StringIndexModelWriter over
 * DefaultParamsWriter), with DuckDB producing the snappy Parquet parts: metadata/part-00000 (one
 * JSON line) + _SUCCESS + .crc checksums, and each data folder split into several part files.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { withScratchDuckDb } from "../../src/store/scratch-duckdb.js";
import { sqlString } from "../../src/store/sql.js";

export const ALS_CLASS = "org.apache.spark.ml.recommendation.ALSModel";
export const INDEXER_CLASS = "org.apache.spark.ml.feature.StringIndexerModel";

/** Rows of one factor side: id and its features (any length, to build broken fixtures). */
export interface FactorRows {
  ids: ArrayLike<number>;
  features: (ArrayLike<number> | null)[];
}

/** Row-major factors (rows × rank) as FactorRows with ids 0…rows-1, or the given ids. */
export function factorRows(data: Float32Array, rank: number, ids?: ArrayLike<number>): FactorRows {
  const rows = data.length / rank;
  return {
    ids: ids ?? Array.from({ length: rows }, (_, i) => i),
    features: Array.from({ length: rows }, (_, r) => data.subarray(r * rank, (r + 1) * rank)),
  };
}

export function writeMetadata(dir: string, json: Record<string, unknown>): void {
  const folder = path.join(dir, "metadata");
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, "part-00000"), `${JSON.stringify(json)}\n`);
  writeFileSync(path.join(folder, ".part-00000.crc"), "crc");
  writeFileSync(path.join(folder, "_SUCCESS"), "");
}

export function alsMetadata(rank: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    class: ALS_CLASS,
    timestamp: 1_700_000_000_000,
    sparkVersion: "3.5.1",
    uid: "ALS_4f2c9a1b7e3d",
    paramMap: { userCol: "user_id", itemCol: "item_id", coldStartStrategy: "drop" },
    defaultParamMap: { blockSize: 4096, predictionCol: "prediction", userCol: "user", itemCol: "item", coldStartStrategy: "nan" },
    rank,
    ...extra,
  };
}

/** Writes rows as `parts` Parquet part files (plus _SUCCESS and .crc files) into `folder`. */
export async function writeParts(folder: string, columnsSql: string, rows: Record<string, unknown>[], parts: number): Promise<void> {
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, "_SUCCESS"), "");
  const json = path.join(folder, "..", `.${path.basename(folder)}.rows.json`);
  writeFileSync(json, rows.map((row) => JSON.stringify(row)).join("\n"));
  await withScratchDuckDb(async (connection) => {
    await connection.run(`CREATE TABLE t AS SELECT row_number() OVER () - 1 AS n, * FROM read_json(${sqlString(json)}, columns = ${columnsSql}, format = 'newline_delimited')`);
    for (let p = 0; p < parts; p++) {
      const name = `part-${String(p).padStart(5, "0")}-6b1d9f0e-aaaa-4c1b-9a6f-0123456789ab-c000.snappy.parquet`;
      await connection.run(
        `COPY (SELECT * EXCLUDE (n) FROM t WHERE n % ${parts} = ${p} ORDER BY n) TO ${sqlString(path.join(folder, name))} (FORMAT parquet, COMPRESSION snappy)`,
      );
      writeFileSync(path.join(folder, `.${name}.crc`), "crc");
    }
  });
  rmSync(json);
}

export async function writeFactors(folder: string, rows: FactorRows, parts = 3): Promise<void> {
  const records = Array.from(rows.features, (features, r) => ({ id: rows.ids[r], features: features && Array.from(features) }));
  await writeParts(folder, "{id: 'INTEGER', features: 'FLOAT[]'}", records, parts);
}

export interface AlsFixture {
  rank: number;
  users: FactorRows;
  items: FactorRows;
  metadata?: Record<string, unknown>;
}

export async function writeAlsModel(dir: string, fixture: AlsFixture): Promise<void> {
  writeMetadata(dir, fixture.metadata ?? alsMetadata(fixture.rank));
  await writeFactors(path.join(dir, "userFactors"), fixture.users);
  await writeFactors(path.join(dir, "itemFactors"), fixture.items);
}

/** A StringIndexerModel of Spark ≥ 3 (labelsArray, one list per indexed column). */
export async function writeStringIndexer(dir: string, labelsArray: string[][], outputCols: string[]): Promise<void> {
  writeMetadata(dir, {
    class: INDEXER_CLASS,
    timestamp: 1_700_000_000_000,
    sparkVersion: "3.5.1",
    uid: "strIdx_0d6e2b",
    paramMap: outputCols.length === 1 ? { inputCol: "track", outputCol: outputCols[0] } : { inputCols: outputCols.map((c) => `${c}_name`), outputCols },
    defaultParamMap: { handleInvalid: "error", stringOrderType: "frequencyDesc" },
  });
  await writeParts(path.join(dir, "data"), "{labelsArray: 'VARCHAR[][]'}", [{ labelsArray }], 1);
}
