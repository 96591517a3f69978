import fs from "node:fs";
import { sqlString } from "../../store/sql.js";

/** DuckDB's default; the reader allocates buffers of this size, so it grows only with the file. */
const MIN_DOCUMENT_BYTES = 16 << 20;

/**
 * Records wrapped in an API envelope (`{"payload": {"listens": [...]}}`, `{"recenttracks":
 * {"track": [...]}}`): one row per record, in file order, with the record in column `j` and
 * `blank` false (the columns jsonRecordsSql yields), plus one VARCHAR column per `documentFields`
 * entry read from the record's document (e.g. the page's user). The file may hold one
 * pretty-printed document, several concatenated ones (saved pages) or an array of them. Each
 * document must have an array at one of `arrayPaths` (an object there counts as a one-record
 * array: Last.fm's JSON, converted from XML, does that for a page of one); a document with none
 * is a structural error that names the paths.
 */
export function envelopeRecordsSql(path: string, arrayPaths: string[], documentFields: Record<string, string> = {}): string {
  // One document may be the whole file (a tool's saved history): allow objects that large.
  const maxObjectSize = Math.max(MIN_DOCUMENT_BYTES, fs.statSync(path).size + 1);
  const found = `coalesce(${arrayPaths.map((jsonPath) => `doc -> ${sqlString(jsonPath)}`).join(", ")})`;
  const expected = `no ${arrayPaths.map((jsonPath) => `"${jsonPath.replace(/^\$\./, "")}"`).join(" or ")} array in the document`;
  const fields = Object.entries(documentFields).map(([name, jsonPath]) => `doc ->> ${sqlString(jsonPath)} AS ${name}`);
  const fieldNames = Object.keys(documentFields).map((name) => `, ${name}`).join("");
  // Each large value is extracted once: evaluating a path over a page-sized document per use dominates.
  return `
    WITH files AS (
      SELECT row_number() OVER () AS f, json AS value
      FROM read_json_objects(${sqlString(path)}, format = 'unstructured', maximum_object_size = ${maxObjectSize})),
    docs AS (
      SELECT f, 1 AS d, value AS doc FROM files WHERE json_type(value) <> 'ARRAY'
      UNION ALL
      SELECT f, generate_subscripts(list, 1) AS d, unnest(list) AS doc
      FROM (SELECT f, json_extract(value, '$[*]') AS list FROM files WHERE json_type(value) = 'ARRAY')),
    found AS (SELECT f, d, ${found} AS records${fields.map((field) => `, ${field}`).join("")} FROM docs),
    lists AS (
      SELECT f, d${fieldNames}, CASE WHEN records IS NULL THEN error(${sqlString(expected)})
                                  WHEN json_type(records) = 'ARRAY' THEN json_extract(records, '$[*]')
                                  ELSE [records] END AS list
      FROM found)
    SELECT j, false AS blank, NULL::VARCHAR AS raw${fieldNames} FROM (
      SELECT f, d${fieldNames}, unnest(list) AS j, generate_subscripts(list, 1) AS k FROM lists)
    ORDER BY f, d, k`;
}
