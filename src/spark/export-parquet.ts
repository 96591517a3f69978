/**
 * `musicrec export parquet DIR`: the interaction matrix as Parquet for Apache Spark, written by
 * DuckDB's COPY … TO (FORMAT parquet) straight from the store — rows never pass through JavaScript.
 *
 *   DIR/interactions/data_N.parquet  user_id INT, item_id INT, plays FLOAT, last_played TIMESTAMP
 *   DIR/users.parquet                user_id INT, name VARCHAR
 *   DIR/items.parquet                item_id INT, key, artist, track, album VARCHAR
 *   DIR/musicrec-export.json         level, k-core, counts (read back by `import-model spark`)
 *
 * Ids are dense and 0-based (what Spark's ALS wants) and are EXACTLY the row and column indices of
 * the TrainingSet `musicrec train` builds with the same level and k-core flags: users and items in
 * store-id order, the same (user, item) aggregation (store/load-interactions.ts pairsSql), and
 * the same iterative k-core. The k-core runs in SQL on a temp table: repeatedly delete every pair
 * whose user has fewer than minUserItems pairs or whose item has fewer than minItemUsers, until a
 * round deletes nothing. Deleting in rounds instead of one pair at a time (data/training-set.ts)
 * reaches the same result: the (u, i)-core is the unique largest sub-matrix where both bounds
 * hold, and no pair of it is ever deleted by either order. As there, pairs with plays ≤ 0 are
 * dropped before filtering, and with 1/1 nothing at all is removed (every user and item is listed).
 * Without thresholds the k-core is chosen from the number of listeners exactly as `train` chooses
 * it (data/k-core-choice.ts), so the same command line gives the same ids.
 *
 * `holdout` f exports the train period of `musicrec evaluate --protocol time --test-fraction f`:
 * the k-core (and so the ids) of all the data, but only the pairs of events before the cutoff the
 * evaluation uses (timeCutoff: the last f of the timestamped events are the test period). A model
 * trained on such an export can be scored by that evaluation without having seen its test period.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import type { ItemLevel } from "../data/interactions.js";
import { kCoreCandidates, kCoreChoice, noInteractionsLeft, type KCoreChoice, type KCoreRequest } from "../data/k-core-choice.js";
import { UserError } from "../util/errors.js";
import { writeDirAtomic } from "../util/atomic-dir.js";
import type { Progress } from "../util/progress.js";
import { catalogSql, defaultLevel, pairsSql, timeCutoff, USER_RANK_SQL } from "../store/load-interactions.js";
import { runWithProgress } from "../store/run-with-progress.js";
import { sqlString } from "../store/sql.js";
import type { Store } from "../store/store.js";
import { EXPORT_MANIFEST, type ExportManifest } from "./export-manifest.js";

export interface ExportOptions {
  level?: ItemLevel;
  minUserItems?: number;
  minItemUsers?: number;
  /** Leave out the last `holdout` fraction of timestamped events (the time protocol's test period). */
  holdout?: number;
  /** Target size of one interactions part file (DuckDB FILE_SIZE_BYTES). */
  partBytes?: string;
}

const PAIRS = "export_pairs";
const USER_IDS = "export_user_ids";
const ITEM_IDS = "export_item_ids";
const TRAIN_PAIRS = "export_train_pairs";
const CORE = "export_core";

export async function exportParquet(store: Store, dir: string, options: ExportOptions, progress: Progress): Promise<ExportManifest> {
  const request = { minUserItems: options.minUserItems, minItemUsers: options.minItemUsers };
  for (const [flag, value] of [["--min-user-items", request.minUserItems], ["--min-item-users", request.minItemUsers]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) throw new UserError(`${flag} must be a positive integer, got ${value}`);
  }
  if (await store.isEmpty()) throw new UserError(`the store ${store.path} is empty: import data first (musicrec import FILE)`);
  const level = options.level ?? (await defaultLevel(store));
  const cutoff = options.holdout === undefined ? null : await timeCutoff(store, options.holdout);
  const sql = (text: string) => store.connection.run(text);
  const count = async (table: string) => (await store.scalar(`SELECT count(*) FROM ${table}`)) ?? 0;

  try {
    await runWithProgress(
      store.connection,
      `CREATE OR REPLACE TEMP TABLE ${PAIRS} AS SELECT user_idx, item_idx, plays, last_played FROM (${pairsSql(level)})`,
      progress,
      `export: aggregating ${level}-level plays`,
    );
    progress.done(`${(await count(PAIRS)).toLocaleString("en")} user–${level} pairs`);

    const { table, kCore } = await chooseCore(store, request, progress);
    const survivors = (column: string, all: string) =>
      table === PAIRS ? `SELECT ${column} FROM (${all})` : `SELECT DISTINCT ${column} FROM ${table}`;
    await sql(`CREATE OR REPLACE TEMP TABLE ${USER_IDS} AS
      SELECT user_idx, CAST(row_number() OVER (ORDER BY user_idx) - 1 AS INTEGER) AS user_id FROM (${survivors("user_idx", USER_RANK_SQL)})`);
    await sql(`CREATE OR REPLACE TEMP TABLE ${ITEM_IDS} AS
      SELECT item_idx, CAST(row_number() OVER (ORDER BY item_idx) - 1 AS INTEGER) AS item_id
      FROM (${survivors("item_idx", `SELECT idx AS item_idx FROM (${catalogSql(level)})`)})`);
    const users = await count(USER_IDS);
    const items = await count(ITEM_IDS);
    const { minUserItems, minItemUsers } = kCore;
    let exported = table;
    if (cutoff) {
      await runWithProgress(
        store.connection,
        `CREATE OR REPLACE TEMP TABLE ${TRAIN_PAIRS} AS
         SELECT user_idx, item_idx, plays, last_played FROM (${pairsSql(level, `e.played_at < epoch_ms(${cutoff.getTime()}::BIGINT)`)})
         SEMI JOIN ${USER_IDS} USING (user_idx) SEMI JOIN ${ITEM_IDS} USING (item_idx) WHERE plays > 0`,
        progress,
        `export: events before ${cutoff.toISOString()}`,
      );
      progress.done();
      exported = TRAIN_PAIRS;
    }
    const interactions = await count(exported);

    const manifest: ExportManifest = {
      format: "musicrec-parquet-export",
      version: 1,
      exportedAt: new Date().toISOString(),
      store: store.path,
      synthetic: await store.isSynthetic(),
      level,
      kCore: { minUserItems, minItemUsers },
      holdout: cutoff ? { protocol: "time", testFraction: options.holdout!, cutoff: cutoff.toISOString() } : null,
      users,
      items,
      interactions,
    };
    await writeDirAtomic(
      dir,
      async (temp) => {
        const parquet = "FORMAT parquet, COMPRESSION snappy";
        progress.start("export: users and items");
        await sql(`COPY (SELECT ids.user_id, u.name FROM ${USER_IDS} ids JOIN (${USER_RANK_SQL}) u USING (user_idx) ORDER BY ids.user_id)
          TO ${sqlString(path.join(temp, "users.parquet"))} (${parquet})`);
        await sql(`COPY (SELECT ids.item_id, c.key, c.artist, c.track, c.album FROM ${ITEM_IDS} ids JOIN (${catalogSql(level)}) c ON c.idx = ids.item_idx ORDER BY ids.item_id)
          TO ${sqlString(path.join(temp, "items.parquet"))} (${parquet})`);
        progress.done(`${users.toLocaleString("en")} users, ${items.toLocaleString("en")} items`);
        await runWithProgress(
          store.connection,
          `COPY (SELECT u.user_id, i.item_id, CAST(p.plays AS FLOAT) AS plays, p.last_played
                 FROM ${exported} p JOIN ${USER_IDS} u USING (user_idx) JOIN ${ITEM_IDS} i USING (item_idx) ORDER BY u.user_id, i.item_id)
           TO ${sqlString(path.join(temp, "interactions"))} (${parquet}, FILE_SIZE_BYTES ${sqlString(options.partBytes ?? "128MB")})`,
          progress,
          "export: interactions",
        );
        progress.done(`${interactions.toLocaleString("en")} rows`);
        await fs.writeFile(path.join(temp, EXPORT_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
      },
      { replaceable: isExportDir, refusal: "is not a musicrec export" },
    );
    return manifest;
  } finally {
    await sql(`DROP TABLE IF EXISTS ${PAIRS}; DROP TABLE IF EXISTS ${USER_IDS}; DROP TABLE IF EXISTS ${ITEM_IDS}; DROP TABLE IF EXISTS ${TRAIN_PAIRS}; DROP TABLE IF EXISTS ${CORE}`);
  }
}

/**
 * The k-core `musicrec train` would use (data/k-core-choice.ts: the given thresholds, else the
 * first data-fitted candidate that keeps at least half of the listeners), run in SQL on a copy of
 * the pairs. Returns the table holding the core's pairs — the pairs table itself when nothing is
 * filtered (1/1) — and the choice.
 */
async function chooseCore(store: Store, request: KCoreRequest, progress: Progress): Promise<{ table: string; kCore: KCoreChoice }> {
  const listeners = (await store.scalar(`SELECT count(DISTINCT user_idx) FROM ${PAIRS} WHERE plays > 0`)) ?? 0;
  let core = { minUserItems: 1, minItemUsers: 1 };
  let table = PAIRS;
  for (const candidate of kCoreCandidates(listeners, request)) {
    core = candidate;
    if (candidate.minUserItems <= 1 && candidate.minItemUsers <= 1) {
      table = PAIRS;
      break;
    }
    table = CORE;
    await store.connection.run(`CREATE OR REPLACE TEMP TABLE ${CORE} AS SELECT * FROM ${PAIRS}`);
    await kCoreInPlace(store, candidate, progress);
    const kept = (await store.scalar(`SELECT count(DISTINCT user_idx) FROM ${CORE}`)) ?? 0;
    if (candidate.last || kept * 2 >= listeners) break;
  }
  if (((await store.scalar(`SELECT count(*) FROM ${table}`)) ?? 0) === 0) throw noInteractionsLeft(core, request);
  const kCore = kCoreChoice(listeners, core, request);
  progress.start("export");
  progress.done(kCore.description);
  return { table, kCore };
}

/** Iterative k-core on the core table, in rounds (see the header for why rounds are exact). */
async function kCoreInPlace(store: Store, core: { minUserItems: number; minItemUsers: number }, progress: Progress): Promise<void> {
  const run = (text: string) => store.connection.run(text);
  progress.start(`export: k-core ${core.minUserItems}/${core.minItemUsers}`);
  let removed = (await run(`DELETE FROM ${CORE} WHERE plays <= 0`)).rowsChanged;
  let rounds = 0;
  for (;;) {
    const deleted = (
      await run(`DELETE FROM ${CORE} WHERE
        user_idx IN (SELECT user_idx FROM ${CORE} GROUP BY user_idx HAVING count(*) < ${core.minUserItems})
        OR item_idx IN (SELECT item_idx FROM ${CORE} GROUP BY item_idx HAVING count(*) < ${core.minItemUsers})`)
    ).rowsChanged;
    rounds++;
    progress.update(rounds);
    if (deleted === 0) break;
    removed += deleted;
  }
  progress.done(`${removed.toLocaleString("en")} pairs removed in ${rounds} rounds`);
}

async function isExportDir(dir: string): Promise<boolean> {
  return fs.access(path.join(dir, EXPORT_MANIFEST)).then(() => true, () => false);
}
