/**
 * How a long-running process (the server) uses the store without holding its lock: each piece of
 * work opens the store, runs and closes it again, so `musicrec import`, `stats`, `train` and
 * `sync` can run in between. Reads open it read-only (several readers may share the file);
 * writes open it for writing. Work is serialised within the process: one DuckDB instance per file
 * at a time. A brief read-only open of the HetRec store costs a few milliseconds (docs/web.md).
 */
import { Store } from "./store.js";
import type { LockWaitOptions } from "./store-lock.js";

export interface StoreAccess {
  /** Runs `work` on the store opened read-only. */
  read<T>(work: (store: Store) => Promise<T>, options?: LockWaitOptions): Promise<T>;
  /** Runs `work` on the store opened for writing. */
  write<T>(work: (store: Store) => Promise<T>, options?: LockWaitOptions): Promise<T>;
}

/** Opens the store file for each piece of work and closes it right after. */
export function briefStoreAccess(file: string, defaults: LockWaitOptions = {}): StoreAccess {
  let queue: Promise<unknown> = Promise.resolve();
  const run = <T>(readOnly: boolean, work: (store: Store) => Promise<T>, options: LockWaitOptions = {}): Promise<T> => {
    const task = async () => {
      const store = await Store.open(file, { readOnly, ...defaults, ...options });
      try {
        return await work(store);
      } finally {
        store.close();
      }
    };
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    read: (work, options) => run(true, work, options),
    write: (work, options) => run(false, work, options),
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
