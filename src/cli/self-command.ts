/**
 * The musicrec CLI as a command a child process can run: this Node binary and the CLI entry next
 * to this file — dist/cli/main.js when built, src/cli/main.ts through the tsx loader when run
 * from source (tests, `npx tsx`).
 */
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { CliCommand } from "../service/refresh-runner.js";

export function selfCommand(): CliCommand {
  const here = fileURLToPath(import.meta.url);
  const extension = path.extname(here);
  const entry = path.join(path.dirname(here), `main${extension}`);
  if (extension !== ".ts") return { file: process.execPath, args: [entry] };
  const loader = createRequire(import.meta.url).resolve("tsx");
  return { file: process.execPath, args: ["--import", pathToFileURL(loader).href, entry] };
}
