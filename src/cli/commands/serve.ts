import type { Command } from "commander";

// Placeholder until the owning issue lands: the command is listed but refuses to run.
export function registerServe(program: Command): void {
  program
    .command("serve")
    .description("(serve: not built yet)")
    .action(() => {
      throw new Error("serve is not implemented yet");
    });
}
