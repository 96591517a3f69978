import { readHead, readCsvSql } from "../csv.js";
import { sqlString } from "../../store/sql.js";

/**
 * JSON exports come as one array of records or as JSON lines. Either way this yields one row per
 * record, in file order, with the record in column `j` (NULL for a line that is not valid JSON,
 * which the caller rejects; `blank` marks empty lines).
 * JSON lines are read as raw lines through the CSV reader so that every line keeps its number and
 * invalid UTF-8 is rejected per line; an array is read by read_json_objects (a malformed array is
 * a structural error of the whole file).
 */
export function jsonRecordsSql(path: string, rejectsTable: string | null): { sql: string; rejectsTable: string | null } {
  if (readHead(path, 4096).trimStart().startsWith("[")) {
    return {
      sql: `SELECT json AS j, false AS blank, NULL::VARCHAR AS raw FROM read_json_objects(${sqlString(path)}, format = 'array', maximum_object_size = 67108864)`,
      rejectsTable: null,
    };
  }
  const lines = readCsvSql({ path, columns: [["line", "VARCHAR"]], delimiter: "\u001e", quote: "", header: false, rejectsTable });
  return {
    sql: `SELECT CASE WHEN json_valid(line) THEN line::JSON END AS j, line IS NULL OR trim(line) = '' AS blank, line AS raw FROM ${lines}`,
    rejectsTable,
  };
}

/** Timestamp of a JSON field holding Unix seconds or an ISO text. */
export function jsonTimestampSql(field: string): string {
  return `CASE WHEN json_type(${field}) IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN epoch_ms(CAST(CAST(${field} AS DOUBLE) * 1000 AS BIGINT))
    ELSE try_strptime(${field} ->> '$', ['%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M:%S.%fZ', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M:%S']) END`;
}
