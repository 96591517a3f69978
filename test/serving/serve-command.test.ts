import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { port as parsePort } from "../../src/cli/options.js";
import { UserError } from "../../src/util/errors.js";
import { serveStore } from "../../src/serving/start-server.js";
import { selfCommand } from "../../src/cli/self-command.js";
import { spawnSync } from "node:child_process";

describe("musicrec serve", () => {
  it("tells the user to train when the store has no model bundle", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-serve-test-"));
    try {
      const attempt = serveStore(path.join(dir, "empty.duckdb"), { host: "127.0.0.1", port: 0 });
      await expect(attempt).rejects.toThrow(UserError);
      await expect(attempt).rejects.toThrow(/run `musicrec train` first/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("validates --port", () => {
    expect(parsePort("5000")).toBe(5000);
    expect(() => parsePort("http")).toThrow(/invalid --port "http"/);
    expect(() => parsePort("70000")).toThrow(UserError);
  });

  it("spawns itself for a refresh: the CLI entry next to it, through tsx when run from source", () => {
    const cli = selfCommand();
    expect(cli.file).toBe(process.execPath);
    expect(cli.args.at(-1)).toMatch(/src[/\\]cli[/\\]main\.ts$/);
    expect(cli.args[0]).toBe("--import");
    const run = spawnSync(cli.file, [...cli.args, "train", "--help"], { encoding: "utf8" });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("--like-current");
  });
});
