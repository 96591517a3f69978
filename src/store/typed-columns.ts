import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";

export type ColumnKind = "int32" | "float32" | "float64";
type TypedColumn = Int32Array | Float32Array | Float64Array;

const allocate = (kind: ColumnKind, length: number): TypedColumn =>
  kind === "int32" ? new Int32Array(length) : kind === "float32" ? new Float32Array(length) : new Float64Array(length);

/**
 * Streams a numeric query result into typed arrays, chunk by chunk (no object per row). NULLs
 * become NaN in float columns and 0 in int columns.
 */
export async function readTypedColumns(
  connection: DuckDBConnection,
  sql: string,
  kinds: ColumnKind[],
  values?: Record<string, DuckDBValue>,
): Promise<TypedColumn[]> {
  const result = await connection.stream(sql, values);
  let capacity = 1024;
  let columns = kinds.map((kind) => allocate(kind, capacity));
  let length = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (chunk == null || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    if (length + rows > capacity) {
      while (length + rows > capacity) capacity *= 2;
      columns = columns.map((column, c) => {
        const grown = allocate(kinds[c], capacity);
        grown.set(column.subarray(0, length));
        return grown;
      });
    }
    for (let c = 0; c < kinds.length; c++) {
      const vector = chunk.getColumnVector(c);
      const column = columns[c];
      const isFloat = kinds[c] !== "int32";
      for (let r = 0; r < rows; r++) {
        const value = vector.getItem(r);
        column[length + r] = value == null ? (isFloat ? Number.NaN : 0) : Number(value);
      }
    }
    length += rows;
  }
  return columns.map((column) => column.slice(0, length));
}
