/**
 * Notices a newly saved model bundle (bundle.ts: a save renames a new CURRENT into place last)
 * and loads it in the background: fs.watch on the bundle folder for a prompt reaction, and a
 * poll of CURRENT every few seconds because watching is not reliable everywhere (network file
 * systems, containers, a folder replaced as a whole). A bundle that fails to load is reported
 * once and skipped until CURRENT changes again; the caller keeps serving what it has.
 */
import fs from "node:fs";
import path from "node:path";
import { currentBundleId, loadBundle, type ModelBundle } from "../models/bundle.js";

export const DEFAULT_POLL_MS = 2_000;

export interface BundleWatcherOptions {
  /** The bundle id being served now (no reload until CURRENT names another). */
  servingId: string | null;
  /** Receives each newly loaded bundle (the next check waits for it). */
  onBundle: (bundle: ModelBundle, timing: LoadTiming) => void | Promise<void>;
  /** Told when a new bundle cannot be loaded (the old one keeps serving). */
  onError: (id: string, error: unknown) => void;
  pollMs?: number;
}

export interface LoadTiming {
  /** When CURRENT was switched to this bundle (its modification time, epoch ms). */
  savedAt: number;
  /** How long loading took. */
  loadMs: number;
}

export class BundleWatcher {
  private seenId: string | null;
  private watcher: fs.FSWatcher | null = null;
  private poll: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  /** The last bundle that failed to load, with why; cleared by the next successful load. */
  lastError: { id: string; message: string; at: string } | null = null;

  constructor(
    private readonly dir: string,
    private readonly options: BundleWatcherOptions,
  ) {
    this.seenId = options.servingId;
  }

  start(): void {
    try {
      this.watcher = fs.watch(this.dir, () => void this.check());
      this.watcher.on("error", () => {
        this.watcher?.close();
        this.watcher = null; // the poll carries on
      });
    } catch {
      // No watching here (or the folder is gone for now): the poll alone notices new bundles.
    }
    this.poll = setInterval(() => void this.check(), this.options.pollMs ?? DEFAULT_POLL_MS);
    this.poll.unref();
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.watcher?.close();
    if (this.poll) clearInterval(this.poll);
    return this.checking ?? Promise.resolve();
  }

  /** Loads the bundle CURRENT names if it is new; one check at a time, repeated if asked again meanwhile. */
  check(): Promise<void> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    this.checking = (async () => {
      do {
        this.again = false;
        await this.loadIfNew();
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async loadIfNew(): Promise<void> {
    const id = await currentBundleId(this.dir);
    if (id === null || id === this.seenId || this.stopped) return;
    this.seenId = id;
    const savedAt = await fs.promises.stat(path.join(this.dir, "CURRENT")).then((s) => s.mtimeMs, () => Date.now());
    const started = performance.now();
    let bundle: ModelBundle;
    try {
      bundle = await loadBundle(this.dir);
    } catch (error) {
      this.lastError = { id, message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() };
      this.options.onError(id, error);
      return;
    }
    if (this.stopped) return;
    // CURRENT may have moved on while loading; the bundle loaded is complete either way, and the next check catches up.
    this.seenId = bundle.id ?? id;
    this.lastError = null;
    await this.options.onBundle(bundle, { savedAt, loadMs: performance.now() - started });
  }
}

