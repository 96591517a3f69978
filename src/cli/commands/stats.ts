import type { Command } from "commander";

// Placeholder until the owning issue lands: the command is listed but refuses to run.
export function registerStats(program: Command): void {
  program
    .command("stats")
    .description("(stats: not built yet)")
    .action(() => {
      throw new Error("stats is not implemented yet");
    });
}
