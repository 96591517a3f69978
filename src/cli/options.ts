/** Flag parsing shared by the commands: the store path, numbers, model names, item level. */
import type { Command } from "commander";
import type { ItemLevel } from "../data/interactions.js";
import { MODEL_NAMES, type ModelName } from "../models/recommender.js";
import { LOCK_WAIT_ENV } from "../store/store-lock.js";
import { resolveDbPath } from "../util/config.js";
import { parseDuration } from "../util/duration.js";
import { UserError } from "../util/errors.js";
import { defaultThreads, parseThreads, THREADS_ENV } from "../util/worker-pool.js";

/** The store path from the global --db option of any subcommand. */
export function dbPathOf(command: Command): string {
  return resolveDbPath(command.optsWithGlobals().db as string | undefined);
}

/**
 * --lock-wait: checked, then passed on through $MUSICREC_LOCK_WAIT, which every Store.open of this
 * process and of the commands it spawns (serve --refresh) reads.
 */
export function applyLockWait(flag: string | undefined): void {
  if (flag !== undefined) {
    parseDuration(flag, "--lock-wait");
    process.env[LOCK_WAIT_ENV] = flag;
  } else if (process.env[LOCK_WAIT_ENV] !== undefined) {
    parseDuration(process.env[LOCK_WAIT_ENV], LOCK_WAIT_ENV);
  }
}

/**
 * --threads: checked, then passed on through $MUSICREC_THREADS, which every ALS fit and hybrid
 * tuning of this process and of the commands it spawns (serve --refresh) reads.
 */
export function applyThreads(flag: string | undefined): void {
  if (flag !== undefined) process.env[THREADS_ENV] = String(parseThreads(flag, "--threads"));
  else defaultThreads();
}

/** An integer, digits optionally grouped with "_" (19_000_000). */
export function integer(value: string, flag: string): number {
  const n = Number(value.replace(/_/g, ""));
  if (value.trim() === "" || !Number.isInteger(n)) throw new UserError(`${flag} must be an integer, got "${value}"`);
  return n;
}

export function positiveInt(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} must be a positive integer, got "${value}"`);
  return n;
}

export function nonNegativeInt(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isSafeInteger(n) || n < 0) throw new UserError(`${flag} must be a non-negative integer, got "${value}"`);
  return n;
}

/** A TCP port (0 = any free port). */
export function port(value: string, flag = "--port"): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UserError(`invalid ${flag} "${value}": expected an integer 0-65535`);
  return n;
}

export function positiveNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`${flag} must be a positive number, got "${value}"`);
  return n;
}

/** A share strictly between 0 and 1 (a test fraction). */
export function fraction(value: string, flag: string): number {
  const n = Number(value);
  if (!(n > 0 && n < 1)) throw new UserError(`${flag} must be a number between 0 and 1 (exclusive), got "${value}"`);
  return n;
}

export function oneOf<T extends string>(value: string, flag: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UserError(`${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
  return value as T;
}

/** --item: the item granularity (artist or track). */
export function itemLevel(value: string, flag = "--item"): ItemLevel {
  return oneOf(value, flag, ["artist", "track"] as const);
}

export function modelName(value: string, flag = "--model"): ModelName {
  if (!(MODEL_NAMES as readonly string[]).includes(value)) {
    throw new UserError(`${flag}: unknown model "${value}" (one of ${MODEL_NAMES.join(", ")})`);
  }
  return value as ModelName;
}

export function parseModelList(value: string): ModelName[] {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean).map((name) => modelName(name, "--models"));
  if (names.length === 0) throw new UserError("--models needs at least one model");
  return names;
}
