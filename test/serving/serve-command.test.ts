import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { port as parsePort } from "../../src/cli/options.js";
import { UserError } from "../../src/util/errors.js";
import { serveStore } from "../../src/serving/start-server.js";

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
});
