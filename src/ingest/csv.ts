import fs from "node:fs";
import { UserError } from "../util/errors.js";
import { sqlString } from "../store/sql.js";
import { decodeText, guessEncoding, HEAD_BYTES, type EncodingGuess } from "./text-encoding.js";

export interface CsvScan {
  path: string;
  /** Column name -> DuckDB type, in file order. Reader-side casts that fail become rejects. */
  columns: [string, string][];
  delimiter: string;
  /** "" = no quoting (TSV dumps), '"' = RFC 4180. */
  quote: '"' | "";
  header: boolean;
  /** Lines before the header (or the first record) to skip, e.g. comment lines. */
  skip?: number;
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
    quote = ${quote}, escape = ${quote}, header = ${scan.header}, skip = ${scan.skip ?? 0}, auto_detect = false, null_padding = false,
    encoding = ${sqlString(scan.encoding ?? "utf-8")}, max_line_size = 16777216, ${
      scan.rejectsTable == null
        ? "ignore_errors = true"
        : `store_rejects = true, rejects_table = ${sqlString(scan.rejectsTable)}, rejects_scan = ${sqlString(`${scan.rejectsTable}_scan`)}`
    })`;
}

export async function dropRejectTables(connection: { run(sql: string): Promise<unknown> }, rejectsTable: string): Promise<void> {
  await connection.run(`DROP TABLE IF EXISTS ${rejectsTable}; DROP TABLE IF EXISTS ${rejectsTable}_scan`);
}

/** The first bytes of a file and their encoding (`complete` when they are the whole file). */
export function readHeadBytes(path: string, bytes = HEAD_BYTES): { bytes: Buffer; complete: boolean; guess: EncodingGuess } {
  let fd: number;
  try {
    fd = fs.openSync(path, "r");
  } catch (error) {
    throw new UserError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const buffer = Buffer.alloc(bytes);
    const read = fs.readSync(fd, buffer, 0, bytes, 0);
    const complete = read < bytes || fs.fstatSync(fd).size === read;
    const head = buffer.subarray(0, read);
    return { bytes: head, complete, guess: guessEncoding(head, complete) };
  } finally {
    fs.closeSync(fd);
  }
}

/** The first bytes of a file as text, decoded from its encoding (BOM stripped), for detection and header checks. */
export function readHead(path: string, bytes = HEAD_BYTES): string {
  const head = readHeadBytes(path, bytes);
  return decodeText(head.bytes, head.guess);
}

/** The first line of a file (without its line terminator); UserError when the file is empty. */
export function readFirstLine(path: string): string {
  const head = readHead(path);
  const line = head.split(/\r?\n/, 1)[0];
  if (head.trim() === "") throw new UserError(`${path}: the file is empty`);
  return line;
}

/** Where a delimited text file's records start and how its fields are separated. */
export interface DelimitedHead {
  /** Leading comment (`#`, or `+ACM-`: a UTF-7 `#`) and blank lines before the header or first record. */
  commentLines: number;
  /** The header line (or first record). */
  firstLine: string;
  /** The next line, "" when there is none. */
  secondLine: string;
  delimiter: "," | ";" | "\t" | "|";
}

const DELIMITERS = [",", ";", "\t", "|"] as const;

/**
 * The layout of a delimited file's head: comment lines are skipped, and the delimiter is the
 * candidate (`,` `;` tab `|`) that splits the first line into the most fields outside quotes and
 * splits the next line the same way (`,` on ties): spreadsheets in many locales save `;`.
 */
export function delimitedHead(head: string): DelimitedHead {
  const lines = head.split(/\r?\n/);
  let commentLines = 0;
  while (commentLines < lines.length - 1 && /^(\s*$|#|\+ACM-)/.test(lines[commentLines])) commentLines++;
  const firstLine = lines[commentLines] ?? "";
  const secondLine = lines[commentLines + 1] ?? "";
  let delimiter: DelimitedHead["delimiter"] = ",";
  let best = 1;
  for (const candidate of DELIMITERS) {
    const fields = splitDelimitedLine(firstLine, candidate).length;
    const consistent = secondLine.trim() === "" || splitDelimitedLine(secondLine, candidate).length === fields;
    if (fields > best && consistent) {
      best = fields;
      delimiter = candidate;
    }
  }
  return { commentLines, firstLine, secondLine, delimiter };
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
