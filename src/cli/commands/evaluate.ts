import type { Command } from "commander";

// Placeholder until the owning issue lands: the command is listed but refuses to run.
export function registerEvaluate(program: Command): void {
  program
    .command("evaluate")
    .description("(evaluate: not built yet)")
    .action(() => {
      throw new Error("evaluate is not implemented yet");
    });
}
