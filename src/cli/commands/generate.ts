import type { Command } from "commander";

// Placeholder until the owning issue lands: the command is listed but refuses to run.
export function registerGenerate(program: Command): void {
  program
    .command("generate")
    .description("(generate: not built yet)")
    .action(() => {
      throw new Error("generate is not implemented yet");
    });
}
