import type { Command } from "commander";

// Placeholder until the owning issue lands: the command is listed but refuses to run.
export function registerImport(program: Command): void {
  program
    .command("import")
    .description("(import: not built yet)")
    .action(() => {
      throw new Error("import is not implemented yet");
    });
}
