/** A scratch store file holding HetRec 2011 Last.fm-2k, for the tests that run the CLI on it (they skip without the shared data). */
import fs from "node:fs";
import path from "node:path";
import { importPaths } from "../../src/ingest/import-files.js";
import { Store } from "../../src/store/store.js";
import { sharedData } from "../ingest/helpers.js";

export const HETREC = path.join(sharedData, "hetrec2011-lastfm-2k");
export const hetrecPresent = fs.existsSync(path.join(HETREC, "user_artists.dat"));

/** Imports HetRec into a new store at `db` (closed again). */
export async function importHetrec(db: string): Promise<void> {
  const store = await Store.open(db);
  try {
    await importPaths(store, [HETREC]);
  } finally {
    store.close();
  }
}
