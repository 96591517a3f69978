import fs from "node:fs";
import { UserError } from "../util/errors.js";
import { sqlString } from "../store/sql.js";

export interface CsvScan {
  path: string;
  /** Column name -> DuckDB type, in file order. Reader-side casts that fail become rejects. */
  columns: [string, string][];
  delimiter: string;
  /** "" = no quoting (TSV dumps), '"' = RFC 4180. */
  quote: '"' | "";
  header: boolean;
  encoding?: "utf-8" | "latin-1";
  /** Temp table DuckDB writes refused lines to (one per scan); null: skip them silently (a re-read). */
  rejectsTable: string | null;
}

/**
 * A read_csv(...) call with explicit columns and no sniffing, so DuckDB parses in parallel at full
 * speed and every refused line lands in the rejects table with its line number.
 */
export function readCsvSql(scan: CsvScan): string {
  const columns = scan.columns.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(", ");
  const quote = sqlString(scan.quote);
  return `read_csv(${sqlString(scan.path)}, columns = {${columns}}, delim = ${sqlString(scan.delimiter)},
    quote = ${quote}, escape = ${quote}, header = ${scan.header}, auto_detect = false, null_padding = false,
    encoding = ${sqlString(scan.encoding ?? "utf-8")}, max_line_size = 16777216, ${
      scan.rejectsTable == null
        ? "ignore_errors = true"
        : `store_rejects = true, rejects_table = ${sqlString(scan.rejectsTable)}, rejects_scan = ${sqlString(`${scan.rejectsTable}_scan`)}`
    })`;
}

export async function dropRejectTables(connection: { run(sql: string): Promise<unknown> }, rejectsTable: string): Promise<void> {
  await connection.run(`DROP TABLE IF EXISTS ${rejectsTable}; DROP TABLE IF EXISTS ${rejectsTable}_scan`);
}

/** The first bytes of a file as text (BOM stripped), for format detection and header checks. */
export function readHead(path: string, bytes = 65536): string {
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const buffer = Buffer.alloc(bytes);
    const read = fs.readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read).toString("utf8").replace(/^\ufeff/, "");
  } finally {
    fs.closeSync(fd);
  }
}

/** The first line of a file (without its line terminator); UserError when the file is empty. */
export function readFirstLine(path: string): string {
  const head = readHead(path);
  const line = head.split(/\r?\n/, 1)[0];
  if (head.trim() === "") throw new UserError(`${path}: the file is empty`);
  return line;
}

/** Splits one delimited line into fields, honouring RFC 4180 quotes (for header lines only). */
export function splitDelimitedLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field === "") quoted = true;
    else if (char === delimiter) {
      fields.push(field);
      field = "";
    } else field += char;
  }
  fields.push(field);
  return fields;
}
