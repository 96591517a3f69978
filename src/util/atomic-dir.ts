import { promises as fs } from "node:fs";
import path from "node:path";
import { UserError } from "./errors.js";

export interface AtomicDirOptions {
  /** May an existing, non-empty `target` be replaced? (Default: only an empty one.) */
  replaceable?: (existing: string) => Promise<boolean>;
  /** Why an existing target may not be replaced, for the error message. */
  refusal?: string;
}

/**
 * Fills a directory so that `target` is either absent/unchanged or complete, never half-written:
 * `fill` writes into a temporary sibling (same file system), which is renamed to `target` only
 * after it succeeded. An existing target is moved aside first and deleted after the rename. A
 * failure removes the temporary directory; leftovers of a killed process (`.name.partial-PID`) are
 * cleaned up by the next run once that process is gone.
 */
export async function writeDirAtomic<T>(target: string, fill: (dir: string) => Promise<T>, options: AtomicDirOptions = {}): Promise<T> {
  const resolved = path.resolve(target);
  const parent = path.dirname(resolved);
  const base = path.basename(resolved);
  await fs.mkdir(parent, { recursive: true });
  await recoverInterrupted(parent, base);

  const existing = await fs.readdir(resolved).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    if (error.code === "ENOTDIR") throw new UserError(`${resolved} exists and is not a folder`);
    throw error;
  });
  if (existing && existing.length > 0 && !(await options.replaceable?.(resolved))) {
    throw new UserError(`${resolved} is not empty${options.refusal ? ` and ${options.refusal}` : ""}; choose a new or empty folder`, 409);
  }

  const temp = path.join(parent, `.${base}.partial-${process.pid}`);
  await fs.rm(temp, { recursive: true, force: true });
  await fs.mkdir(temp);
  let result: T;
  try {
    result = await fill(temp);
  } catch (error) {
    await fs.rm(temp, { recursive: true, force: true });
    throw error;
  }
  if (existing) {
    const old = path.join(parent, `.${base}.old-${process.pid}`);
    await fs.rename(resolved, old);
    await fs.rename(temp, resolved);
    await fs.rm(old, { recursive: true, force: true });
  } else {
    await fs.rename(temp, resolved);
  }
  return result;
}

/**
 * Cleans up after a process that died mid-way: its partial directory is deleted; an old target it
 * had moved aside is put back if the target is missing (killed between the two renames), else deleted.
 */
async function recoverInterrupted(parent: string, base: string): Promise<void> {
  const pattern = new RegExp(`^\\.${escapeRegExp(base)}\\.(partial|old)-(\\d+)$`);
  for (const entry of await fs.readdir(parent)) {
    const match = pattern.exec(entry);
    if (!match || processAlive(Number(match[2]))) continue;
    const full = path.join(parent, entry);
    const target = path.join(parent, base);
    if (match[1] === "old" && !(await exists(target))) await fs.rename(full, target);
    else await fs.rm(full, { recursive: true, force: true });
  }
}

const exists = (file: string) => fs.access(file).then(() => true, () => false);

function processAlive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
