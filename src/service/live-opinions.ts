/**
 * The opinions a running server honours, re-read from the store so that a ban made elsewhere
 * (`musicrec feedback` in a shell, an import of ListenBrainz feedback) shows within seconds: once
 * the copy is older than `maxAgeMs`, the next request for a listener's answers waits for a re-read
 * (a brief read-only open, ~15 ms; at most `FRESH_WAIT_MS`, then it is answered from the old copy
 * while the read finishes, e.g. while an import holds the store), and other reads of the copy
 * start one in the background. A change made through the server itself re-reads before it
 * answers, so the next page already honours it.
 */
import { currentOpinions } from "../store/feedback.js";
import type { Store } from "../store/store.js";
import type { StoreAccess } from "../store/store-access.js";
import type { LockWaitOptions } from "../store/store-lock.js";
import { OpinionBook, type OpinionSource } from "./opinion-book.js";

/** A CLI ban reaches a running server's answers within about this long (plus one request). */
export const OPINIONS_MAX_AGE_MS = 5_000;
/** A re-read waits this long for a store another process is writing, then keeps the old copy. */
const READ_LOCK_WAIT_MS = 1_000;
/** A request waits at most this long for a re-read before it is answered from the old copy. */
export const FRESH_WAIT_MS = 250;

export class LiveOpinions implements OpinionSource {
  private book = OpinionBook.empty;
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<OpinionBook> | null = null;

  constructor(
    private readonly store: StoreAccess,
    private readonly options: { maxAgeMs?: number; now?: () => number; log?: (line: string) => void } = {},
  ) {}

  current(): OpinionBook {
    if (this.stale()) void this.reload().catch(() => undefined);
    return this.book;
  }

  /** The copy, re-read first when it is older than the maximum age (waiting at most FRESH_WAIT_MS). */
  async fresh(): Promise<OpinionBook> {
    if (!this.stale() && !this.reading) return this.book;
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, FRESH_WAIT_MS);
    });
    await Promise.race([this.reload().catch(() => undefined), waited]);
    clearTimeout(timer);
    return this.book;
  }

  private stale(): boolean {
    const now = this.options.now ?? Date.now;
    return now() - this.readAt > (this.options.maxAgeMs ?? OPINIONS_MAX_AGE_MS);
  }

  /** Reads the store now (joining a read already under way); a failure keeps the last copy. */
  reload(): Promise<OpinionBook> {
    if (!this.reading) {
      const now = this.options.now ?? Date.now;
      const started = now();
      this.reading = this.store
        .read((store) => currentOpinions(store), { lockWaitMs: READ_LOCK_WAIT_MS, onBusy: () => {} })
        .then(
          (opinions) => {
            this.book = new OpinionBook(opinions);
            this.readAt = started;
            return this.book;
          },
          (error: unknown) => {
            // Try again after the usual pause rather than on every request.
            this.readAt = started;
            this.options.log?.(`listener feedback not re-read (still honouring the last copy): ${error instanceof Error ? error.message : String(error)}`);
            throw error;
          },
        )
        .finally(() => {
          this.reading = null;
        });
    }
    return this.reading;
  }

  /** Runs a change on the store opened for writing, then re-reads, so the answer after it honours it. */
  async change<T>(work: (store: Store) => Promise<T>, options?: LockWaitOptions): Promise<T> {
    const result = await this.store.write(work, options);
    await this.reading?.catch(() => undefined);
    await this.reload();
    return result;
  }
}
