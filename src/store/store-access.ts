/**
 * How a long-running process (the server) uses the store without holding its lock: each piece of
 * work opens the store, runs and closes it again, so `musicrec import`, `stats`, `train` and
 * `sync` can run in between. Reads open it read-only (several readers may share the file);
 * writes open it for writing. What a brief open costs is measured in docs/web.md.
 */
import { Store } from "./store.js";
import type { LockWaitOptions } from "./store-lock.js";

export interface StoreAccess {
  /** Runs `work` on the store opened read-only. */
  read<T>(work: (store: Store) => Promise<T>, options?: LockWaitOptions): Promise<T>;
  /** Runs `work` on the store opened for writing. */
  write<T>(work: (store: Store) => Promise<T>, options?: LockWaitOptions): Promise<T>;
}

/**
 * Opens the store file for each piece of work and closes it right after. Within the process,
 * reads run side by side (each its own read-only instance) and a write waits for the reads
 * before it and holds up the ones after it, as a readers-writer lock.
 */
export function briefStoreAccess(file: string, defaults: LockWaitOptions = {}): StoreAccess {
  let lastWrite: Promise<unknown> = Promise.resolve();
  const reads = new Set<Promise<unknown>>();
  const open = async <T>(readOnly: boolean, work: (store: Store) => Promise<T>, options: LockWaitOptions = {}): Promise<T> => {
    const store = await Store.open(file, { readOnly, ...defaults, ...options });
    try {
      return await work(store);
    } finally {
      store.close();
    }
  };
  const settled = (promise: Promise<unknown>) => promise.then(() => undefined, () => undefined);
  return {
    read(work, options) {
      const read = settled(lastWrite).then(() => open(true, work, options));
      const tracked = settled(read);
      reads.add(tracked);
      void tracked.then(() => reads.delete(tracked));
      return read;
    },
    write(work, options) {
      const write = Promise.all([settled(lastWrite), ...reads]).then(() => open(false, work, options));
      lastWrite = write;
      return write;
    },
  };
}

/** An already open store (an in-memory one in tests), used one piece of work at a time and never closed here. */
export function openStoreAccess(store: Store): StoreAccess {
  let queue: Promise<unknown> = Promise.resolve();
  const run = <T>(work: (store: Store) => Promise<T>): Promise<T> => {
    const next = queue.then(() => work(store), () => work(store));
    queue = next.catch(() => undefined);
    return next;
  };
  return { read: run, write: run };
}
