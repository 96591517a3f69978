/**
 * Waiting for the store's file lock. DuckDB lets one process write a file or several read it, and
 * refuses any other open at once ("Could not set lock on file … Conflicting lock is held in …
 * (PID n)"). Commands and the server open the store only while they use it, so a conflict
 * usually lasts a moment: the open is retried with a growing pause (50 ms up to 1 s), saying once
 * who holds the store, until the lock wait runs out (--lock-wait, $MUSICREC_LOCK_WAIT, default
 * 60 s); then a StoreBusyError says who holds it and how to wait longer.
 */
import fs from "node:fs";
import { formatDuration, parseDuration } from "../util/duration.js";
import { UserError } from "../util/errors.js";

export const DEFAULT_LOCK_WAIT_MS = 60_000;
export const LOCK_WAIT_ENV = "MUSICREC_LOCK_WAIT";

export interface LockWaitOptions {
  /** How long to wait for another process's lock; default $MUSICREC_LOCK_WAIT or 60 s; 0 fails at once. */
  lockWaitMs?: number;
  /** Told once when the store is busy and the open starts waiting (default: a line on stderr). */
  onBusy?: (message: string) => void;
}

/** The store is held by another process for longer than the caller would wait (HTTP 503). */
export class StoreBusyError extends UserError {
  constructor(
    message: string,
    readonly holderPid: number | null,
  ) {
    super(message, 503);
  }
}

export function lockWaitFromEnv(): number {
  const text = process.env[LOCK_WAIT_ENV];
  return text === undefined || text.trim() === "" ? DEFAULT_LOCK_WAIT_MS : parseDuration(text, LOCK_WAIT_ENV);
}

/** The PID in DuckDB's lock conflict message, null when `error` is not a lock conflict. */
export function lockHolderOf(error: unknown): { pid: number | null } | null {
  const message = error instanceof Error ? error.message : String(error);
  if (!/Could not set lock on file|Conflicting lock is held/.test(message)) return null;
  const pid = /\(PID (\d+)\)/.exec(message);
  return { pid: pid ? Number(pid[1]) : null };
}

/** "PID 123: node dist/cli/main.js import x.csv" where /proc tells the command line. */
export function describeHolder(pid: number | null): string {
  if (pid === null) return "another process";
  try {
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ").replace(/\s+/g, " ").trim();
    const shown = command.length > 80 ? `${command.slice(0, 77)}...` : command;
    return shown ? `PID ${pid}: ${shown}` : `PID ${pid}`;
  } catch {
    return `PID ${pid}`;
  }
}

/** Runs `open` until it gets past a lock conflict or the wait is over; other failures are reported at once. */
export async function openWhenFree<T>(file: string, open: () => Promise<T>, options: LockWaitOptions = {}): Promise<T> {
  const limit = options.lockWaitMs ?? lockWaitFromEnv();
  const onBusy = options.onBusy ?? ((message: string) => process.stderr.write(`musicrec: ${message}\n`));
  const started = Date.now();
  let pause = 50;
  let told = false;
  for (;;) {
    try {
      return await open();
    } catch (error) {
      const holder = lockHolderOf(error);
      if (!holder) {
        const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
        throw new UserError(`cannot open store ${file}: ${reason}`, 409);
      }
      const waited = Date.now() - started;
      if (waited >= limit) {
        throw new StoreBusyError(
          `store ${file} is busy (used by ${describeHolder(holder.pid)})` +
            (limit > 0 ? ` for more than ${formatDuration(limit)}` : "") +
            `: try again when it is done, or wait longer with --lock-wait or ${LOCK_WAIT_ENV} (e.g. 10m)`,
          holder.pid,
        );
      }
      if (!told) {
        told = true;
        onBusy(`store ${file} is busy (used by ${describeHolder(holder.pid)}); waiting up to ${formatDuration(limit)}…`);
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(pause, limit - waited)));
      pause = Math.min(pause * 2, 1000);
    }
  }
}
