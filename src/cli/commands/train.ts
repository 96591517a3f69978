import type { Command } from "commander";

// Placeholder until the owning issue lands: the command is listed but refuses to run.
export function registerTrain(program: Command): void {
  program
    .command("train")
    .description("(train: not built yet)")
    .action(() => {
      throw new Error("train is not implemented yet");
    });
}
