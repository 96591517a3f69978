import fs from "node:fs";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { silentProgress } from "../util/progress.js";
import { UserError } from "../util/errors.js";
import { addEvents, addItems, addUsers } from "../store/catalog-writer.js";
import { dropRejectTables, readCsvSql, readFirstLine, splitDelimitedLine } from "./csv.js";
import type { FileImport, ImportContext } from "./import-context.js";
import { isBlankSql, normalizeNameSql } from "../data/item-key.js";
import { mergeRejects, readerRejects, rowProblems, type RejectReport } from "./rejects.js";

/**
 * The HetRec 2011 Last.fm-2k folder: per-user artist play counts (artist-level items, events
 * without timestamps, plays = the count), artist names, and user tag assignments (tags.dat is
 * Latin-1) that become artist tags weighted by the number of taggings.
 *
 * HetRec's artist ids are authoritative: 17 groups of its artists differ only in case or
 * whitespace ("Настя" / "НАСТЯ"; 17,632 names, 17,614 keys), yet are distinct Last.fm pages. The most played one of each
 * group keeps the plain key; the others get " #<hetrec id>" appended, so the import keeps all
 * 17,632 artists.
 */
const FILES = {
  artists: { name: "artists.dat", columns: [["id", "INTEGER"], ["name", "VARCHAR"], ["url", "VARCHAR"], ["pictureURL", "VARCHAR"]] },
  plays: { name: "user_artists.dat", columns: [["userID", "INTEGER"], ["artistID", "INTEGER"], ["weight", "DOUBLE"]] },
  tags: { name: "tags.dat", columns: [["tagID", "INTEGER"], ["tagValue", "VARCHAR"]], encoding: "latin-1" as const },
  taggings: {
    name: "user_taggedartists.dat",
    columns: [["userID", "INTEGER"], ["artistID", "INTEGER"], ["tagID", "INTEGER"], ["day", "INTEGER"], ["month", "INTEGER"], ["year", "INTEGER"]],
  },
} satisfies Record<string, { name: string; columns: [string, string][]; encoding?: "latin-1" }>;

type HetrecFile = (typeof FILES)[keyof typeof FILES];

export function isHetrecFolder(folder: string): boolean {
  return fs.existsSync(path.join(folder, FILES.plays.name)) && fs.existsSync(path.join(folder, FILES.artists.name));
}

/** Reads one .dat file into a temp table (k = ordinal among accepted rows), checking its header. */
async function stageDat(connection: DuckDBConnection, folder: string, file: HetrecFile, table: string): Promise<string> {
  const filePath = path.join(folder, file.name);
  if (!fs.existsSync(filePath)) throw new UserError(`${folder}: HetRec folder lacks ${file.name}`);
  const header = splitDelimitedLine(readFirstLine(filePath), "\t").map((name) => name.trim());
  const missing = file.columns.map(([name]) => name).filter((name) => !header.includes(name));
  if (missing.length > 0 || header.length !== file.columns.length) {
    throw new UserError(`${filePath}: expected columns ${file.columns.map(([name]) => name).join(", ")}, found ${header.join(", ")}`);
  }
  const rejectsTable = `${table}_rejects`;
  await dropRejectTables(connection, rejectsTable);
  const reader = readCsvSql({
    path: filePath,
    columns: file.columns,
    delimiter: "\t",
    quote: "",
    header: true,
    encoding: "encoding" in file ? file.encoding : "utf-8",
    rejectsTable,
  });
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT row_number() OVER () AS k, * FROM ${reader}`);
  return rejectsTable;
}

/** Rejects of one file: reader refusals plus rows flagged with a problem, reasons prefixed by the file name. */
async function fileRejects(connection: DuckDBConnection, table: string, file: HetrecFile, rejectsTable: string): Promise<RejectReport> {
  const problems = await connection.runAndReadAll(`SELECT count(*) FROM ${table} WHERE problem IS NOT NULL`);
  const fromRows = await rowProblems(
    connection,
    `SELECT k, problem FROM ${table} WHERE problem IS NOT NULL`,
    Number(problems.getRows()[0][0]),
    1,
    rejectsTable,
  );
  const report = mergeRejects(await readerRejects(connection, rejectsTable), fromRows);
  return { count: report.count, examples: report.examples.map((e) => ({ line: e.line, reason: `${file.name}: ${e.reason}` })) };
}

export async function importHetrec(context: ImportContext): Promise<FileImport> {
  const { connection, path: folder, progress } = context;
  progress.start(`hetrec ${folder}`);
  const artistsRejects = await stageDat(connection, folder, FILES.artists, "h_artists");
  const playsRejects = await stageDat(connection, folder, FILES.plays, "h_plays");
  const hasTags = fs.existsSync(path.join(folder, FILES.taggings.name));
  const tagsRejects = hasTags ? await stageDat(connection, folder, FILES.tags, "h_tags") : null;
  const taggingsRejects = hasTags ? await stageDat(connection, folder, FILES.taggings, "h_taggings") : null;

  await connection.run(`
    ALTER TABLE h_artists ADD COLUMN problem VARCHAR;
    UPDATE h_artists SET problem = CASE
      WHEN id IS NULL THEN 'missing artist id'
      WHEN ${isBlankSql("name")} THEN 'empty artist name'
      WHEN k > (SELECT min(k) FROM h_artists a2 WHERE a2.id = h_artists.id) THEN 'duplicate artist id ' || id END;
    ALTER TABLE h_plays ADD COLUMN problem VARCHAR;
    UPDATE h_plays SET problem = CASE
      WHEN userID IS NULL OR artistID IS NULL THEN 'missing user or artist id'
      WHEN artistID NOT IN (SELECT id FROM h_artists WHERE problem IS NULL) THEN 'unknown artist id ' || artistID
      WHEN weight IS NULL OR weight <= 0 THEN 'play count must be positive' END;`);

  // Keys: normalised names, disambiguated by HetRec id where HetRec itself has two artists for one key.
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE h_spell AS
    SELECT id AS spell_id, name AS artist, NULL::VARCHAR AS track, NULL::VARCHAR AS album,
      CASE WHEN row_number() OVER (PARTITION BY plain_key ORDER BY plays DESC, id) = 1 THEN plain_key
           ELSE plain_key || ' #' || id END AS artist_key,
      NULL::VARCHAR AS item_key, NULL::INTEGER AS item_id, listeners AS seen
    FROM (
      SELECT a.id, a.name, ${normalizeNameSql("a.name")} AS plain_key, coalesce(p.plays, 0) AS plays, coalesce(p.listeners, 0) AS listeners
      FROM h_artists a
      LEFT JOIN (SELECT artistID, sum(weight) AS plays, count(*) AS listeners FROM h_plays WHERE problem IS NULL GROUP BY artistID) p
        ON p.artistID = a.id
      WHERE a.problem IS NULL);
    UPDATE h_spell SET item_key = artist_key;`);

  await addUsers(connection, `SELECT CAST(userID AS VARCHAR) AS name FROM h_plays WHERE problem IS NULL`);
  await addItems(connection, "h_spell");
  const valid = await connection.runAndReadAll(
    `SELECT count(*), count(DISTINCT userID), count(DISTINCT artistID) FROM h_plays WHERE problem IS NULL`,
  );
  const [count, users, items] = valid.getRows()[0].map(Number);
  const events = await addEvents(
    connection,
    {
      sql: `SELECT u.user_id, s.item_id, NULL::TIMESTAMP AS played_at, p.weight AS plays, s.spell_id
            FROM h_plays p JOIN users u ON u.name = CAST(p.userID AS VARCHAR) JOIN h_spell s ON s.spell_id = p.artistID
            WHERE p.problem IS NULL`,
      count,
      userNamesSql: `SELECT CAST(userID AS VARCHAR) FROM h_plays`,
      collapseCandidates: true,
    },
    "h_spell",
    context.importId,
    silentProgress,
  );

  const rejected = [
    await fileRejects(connection, "h_artists", FILES.artists, artistsRejects),
    await fileRejects(connection, "h_plays", FILES.plays, playsRejects),
  ];
  const skipped: Record<string, number> = {};
  if (hasTags && tagsRejects && taggingsRejects) {
    await connection.run(`
      ALTER TABLE h_tags ADD COLUMN problem VARCHAR;
      UPDATE h_tags SET problem = 'empty tag' WHERE ${isBlankSql("tagValue")};
      ALTER TABLE h_taggings ADD COLUMN problem VARCHAR;
      UPDATE h_taggings SET problem = 'unknown tag id ' || tagID WHERE tagID NOT IN (SELECT tagID FROM h_tags WHERE problem IS NULL);`);
    rejected.push(await fileRejects(connection, "h_tags", FILES.tags, tagsRejects));
    rejected.push(await fileRejects(connection, "h_taggings", FILES.taggings, taggingsRejects));
    const untagged = await connection.runAndReadAll(
      `SELECT count(*) FROM h_taggings WHERE problem IS NULL AND artistID NOT IN (SELECT spell_id FROM h_spell)`,
    );
    const orphanTaggings = Number(untagged.getRows()[0][0]);
    if (orphanTaggings > 0) skipped["tagging of an artist absent from artists.dat"] = orphanTaggings;
    // Weight = number of taggings; tags already attached to an artist are left alone (re-import adds nothing).
    await connection.run(`
      INSERT INTO artist_tags
      SELECT i.artist_id, trim(t.tagValue) AS tag, count(*) AS weight
      FROM h_taggings g JOIN h_tags t ON t.tagID = g.tagID JOIN h_spell s ON s.spell_id = g.artistID JOIN items i ON i.item_id = s.item_id
      WHERE g.problem IS NULL AND t.problem IS NULL
        AND NOT EXISTS (SELECT 1 FROM artist_tags x WHERE x.artist_id = i.artist_id AND x.tag = trim(t.tagValue))
      GROUP BY i.artist_id, trim(t.tagValue)`);
  }
  for (const table of ["h_artists", "h_plays", "h_tags", "h_taggings", "h_spell"]) {
    await connection.run(`DROP TABLE IF EXISTS ${table}`);
    await dropRejectTables(connection, `${table}_rejects`);
  }
  progress.done(`${events.added.toLocaleString("en")} user–artist play counts`);
  return {
    source: folder,
    format: "hetrec",
    imported: events.added,
    duplicates: events.duplicates,
    skipped,
    rejected: mergeRejects(...rejected),
    users,
    items,
  };
}
