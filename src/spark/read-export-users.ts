import path from "node:path";
import { UserError } from "../util/errors.js";
import { withScratchDuckDb } from "../store/scratch-duckdb.js";
import { sqlString } from "../store/sql.js";
import { firstLine } from "./spark-layout.js";

/** User names of a `musicrec export parquet` folder: name of user id i at [i]. */
export async function readExportUserNames(dir: string): Promise<string[]> {
  const file = path.join(dir, "users.parquet");
  return withScratchDuckDb(async (connection) => {
    const rows = await connection.runAndReadAll(`SELECT name FROM read_parquet(${sqlString(file)}) ORDER BY user_id`).catch((error: unknown) => {
      throw new UserError(`${file}: cannot read it (${firstLine(error)})`);
    });
    return rows.getColumns()[0]?.map(String) ?? [];
  });
}
