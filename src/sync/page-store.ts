import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { importPaths } from "../ingest/import-files.js";
import type { Store } from "../store/store.js";
import { saveAccount, type SyncAccount } from "./sync-accounts.js";

export interface PageOutcome {
  imported: number;
  duplicates: number;
  skipped: number;
  rejected: number;
}

/** A fetched page, as the document the matching import format reads (null: nothing to import). */
export interface FetchedPage {
  format: "listenbrainz-api" | "lastfm-api";
  document: unknown | null;
  /** Where it came from, for the imports table (no API key in it). */
  source: string;
}

const NOTHING: PageOutcome = { imported: 0, duplicates: 0, skipped: 0, rejected: 0 };

/**
 * Stores synced pages through the same import pipeline as files: each page is written to a
 * scratch file and imported with its API format, and the account's new sync position is saved in
 * the SAME transaction. Whatever interrupts a sync, the store holds whole pages and a position
 * that matches them.
 */
export class PageStore {
  private dir: string | null = null;
  private count = 0;

  constructor(private readonly store: Store) {}

  async save(page: FetchedPage, next: SyncAccount): Promise<PageOutcome> {
    const file = page.document == null ? null : this.write(page.document);
    try {
      return await this.store.transaction(async () => {
        let outcome = NOTHING;
        if (file != null) {
          const summary = await importPaths(this.store, [file], { format: page.format, user: next.listener, sourceName: page.source });
          outcome = { imported: summary.imported, duplicates: summary.duplicates, skipped: summary.skipped, rejected: summary.rejected };
        }
        await saveAccount(this.store, next);
        return outcome;
      });
    } finally {
      if (file != null) fs.rmSync(file, { force: true });
    }
  }

  /** Removes the scratch folder. */
  close(): void {
    if (this.dir != null) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }

  private write(document: unknown): string {
    this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-sync-"));
    const file = path.join(this.dir, `page-${++this.count}.json`);
    fs.writeFileSync(file, JSON.stringify(document));
    return file;
  }
}
