/** Runs `musicrec --db DB ARGS…` in-process with the given subcommands registered; returns what it printed on stdout. */
import { Command } from "commander";
import { vi } from "vitest";

export async function runCommand(db: string, commands: readonly ((program: Command) => void)[], args: readonly string[]): Promise<string> {
  const program = new Command().option("--db <file>").exitOverride();
  for (const register of commands) register(program);
  const chunks: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (chunks.push(String(chunk)), true));
  try {
    await program.parseAsync(["node", "musicrec", "--db", db, ...args]);
  } finally {
    spy.mockRestore();
  }
  return chunks.join("");
}
