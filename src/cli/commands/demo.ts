import type { Command } from "commander";

// Placeholder until the owning issue lands: the command is listed but refuses to run.
export function registerDemo(program: Command): void {
  program
    .command("demo")
    .description("(demo: not built yet)")
    .action(() => {
      throw new Error("demo is not implemented yet");
    });
}
