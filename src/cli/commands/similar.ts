import type { Command } from "commander";

// Placeholder until the owning issue lands: the command is listed but refuses to run.
export function registerSimilar(program: Command): void {
  program
    .command("similar")
    .description("(similar: not built yet)")
    .action(() => {
      throw new Error("similar is not implemented yet");
    });
}
