/** Raised through an AbortSignal when the user presses Ctrl-C (or the process gets SIGTERM). */
export class Interrupted extends Error {
  constructor(signal: string) {
    super(`interrupted (${signal})`);
    this.name = "Interrupted";
  }
}

/**
 * Runs long network work so that Ctrl-C stops it cleanly: the first SIGINT / SIGTERM aborts the
 * signal given to `work` (a request in flight is dropped, the page being stored is committed),
 * and `onInterrupt` tells the user what was kept. A second Ctrl-C kills the process as usual.
 * Exit status 130, like a shell.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>, onInterrupt: () => string): Promise<T | undefined> {
  const controller = new AbortController();
  const handlers = (["SIGINT", "SIGTERM"] as const).map((name) => {
    const handler = () => controller.abort(new Interrupted(name));
    process.once(name, handler);
    return [name, handler] as const;
  });
  try {
    return await work(controller.signal);
  } catch (error) {
    if (!controller.signal.aborted) throw error;
    process.stderr.write(`musicrec: ${onInterrupt()}\n`);
    process.exitCode = 130;
    return undefined;
  } finally {
    for (const [name, handler] of handlers) process.removeListener(name, handler);
  }
}
