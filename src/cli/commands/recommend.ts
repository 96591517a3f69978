import type { Command } from "commander";

// Placeholder until the owning issue lands: the command is listed but refuses to run.
export function registerRecommend(program: Command): void {
  program
    .command("recommend")
    .description("(recommend: not built yet)")
    .action(() => {
      throw new Error("recommend is not implemented yet");
    });
}
