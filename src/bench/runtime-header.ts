/**
 * The one-line header every benchmark prints first, so figures compared across runs (or across
 * the Node versions CI tests) say which runtime produced them.
 */
import os from "node:os";

export function printRuntimeHeader(benchmark: string): void {
  process.stdout.write(`${benchmark} on Node.js ${process.version} (${process.platform} ${process.arch}, ${os.cpus().length} CPUs)\n`);
}
