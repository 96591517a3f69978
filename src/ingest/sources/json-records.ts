import { readHead, readCsvSql } from "../csv.js";
import { sqlString } from "../../store/sql.js";
import { envelopeRecordsSql } from "./json-envelope.js";

export interface JsonRecords {
  sql: string;
  rejectsTable: string | null;
}

/**
 * JSON exports come as JSON lines, one array of records, or documents (one JSON object, often
 * pretty-printed, or several concatenated) holding the records in an array at `recordsAt` (a JSON
 * path such as `$.scrobbles`). Either way this yields one row per record, in file order, with the
 * record in column `j` (NULL for a line that is not valid JSON, which the caller rejects; `blank`
 * marks empty lines).
 * JSON lines are read as raw lines through the CSV reader so that every line keeps its number and
 * invalid UTF-8 is rejected per line; arrays and documents are read by read_json_objects (a
 * malformed one is a structural error of the whole file) and numbered by position.
 */
export function jsonRecordsSql(path: string, rejectsTable: string | null, recordsAt?: string): JsonRecords {
  if (recordsAt !== undefined) return { sql: envelopeRecordsSql(path, [recordsAt]), rejectsTable: null };
  if (readHead(path, 4096).trimStart().startsWith("[")) {
    // An array element is one record.
    return {
      sql: `SELECT json AS j, false AS blank, NULL::VARCHAR AS raw FROM read_json_objects(${sqlString(path)}, format = 'array', maximum_object_size = ${64 << 20})`,
      rejectsTable: null,
    };
  }
  const lines = readCsvSql({ path, columns: [["line", "VARCHAR"]], delimiter: "\u001e", quote: "", header: false, rejectsTable });
  return {
    sql: `SELECT CASE WHEN json_valid(line) THEN line::JSON END AS j, line IS NULL OR trim(line) = '' AS blank, line AS raw FROM ${lines}`,
    rejectsTable,
  };
}

/** Timestamp of a JSON field holding Unix seconds (0: no date) or an ISO text. */
export function jsonTimestampSql(field: string): string {
  return `CASE WHEN json_type(${field}) IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN epoch_ms(CAST(CAST(${field} AS DOUBLE) * 1000 AS BIGINT))
    WHEN json_type(${field}) = 'VARCHAR' AND regexp_full_match(${field} ->> '$', '[0-9]{1,11}') THEN epoch_ms(CAST(${field} ->> '$' AS BIGINT) * 1000)
    ELSE try_strptime(${field} ->> '$', ['%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%M:%S.%fZ', '%Y-%m-%d %H:%M:%S', '%Y-%m-%d %H:%M', '%Y-%m-%dT%H:%M:%S']) END`;
}

/** Timestamp of a JSON field holding Unix milliseconds. */
export function jsonMillisecondsSql(field: string): string {
  return `CASE WHEN json_type(${field}) IN ('UBIGINT', 'BIGINT', 'DOUBLE') THEN epoch_ms(CAST(CAST(${field} AS DOUBLE) AS BIGINT))
    WHEN json_type(${field}) = 'VARCHAR' AND regexp_full_match(${field} ->> '$', '[0-9]{1,14}') THEN epoch_ms(CAST(${field} ->> '$' AS BIGINT)) END`;
}

/** The columns every JSON source shares: blank lines are skipped, lines that are not JSON invalid. */
export const JSON_LINE_STATUS = {
  skip: "CASE WHEN blank THEN 'blank line' END",
  invalid: "CASE WHEN j IS NULL AND NOT blank THEN 'invalid JSON' END",
};

/**
 * Adds one JSON column per field of each record `j` (NULL when absent), extracting them all in one
 * pass: every separate `j ->> path` would parse the record again, which dominates the cost of
 * reading records as fat as API pages' (images, MBIDs, URLs). Read a text field with `name ->> '$'`.
 */
export function jsonFieldsSql(recordsSql: string, fields: Record<string, string>): string {
  const names = Object.keys(fields);
  const paths = Object.values(fields).map(sqlString).join(", ");
  return `SELECT *, ${names.map((name, index) => `fields[${index + 1}] AS ${name}`).join(", ")}
    FROM (SELECT *, json_extract(j, [${paths}]) AS fields FROM (${recordsSql}))`;
}
