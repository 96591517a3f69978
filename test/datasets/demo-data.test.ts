/**
 * What the demo loads into an empty store, without the internet: MUSICREC_DEMO=synthetic makes no
 * request at all; a host that does not answer costs at most the time limit, then the synthetic set
 * is loaded with the reason. (The HetRec path runs end to end in test/serving/demo-command.test.ts.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { demoChoice, loadDemoData } from "../../src/datasets/demo-data.js";
import { openMemoryStore } from "../ingest/helpers.js";
import { startArchiveServer, type ArchiveServer } from "./archive-server.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-demo-data-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let server: ArchiveServer;
afterEach(async () => server?.close());

describe("the demo's data", () => {
  it("MUSICREC_DEMO=synthetic loads the synthetic set without any request", async () => {
    server = await startArchiveServer({ "hetrec2011-lastfm-2k.zip": Buffer.from("never asked for") });
    const store = await openMemoryStore();
    const demo = await loadDemoData(store, { cacheDir: dir, env: { MUSICREC_DEMO: "synthetic", MUSICREC_DATASETS_URL: server.base } });
    expect(demo).toMatchObject({ kind: "synthetic", reason: "MUSICREC_DEMO=synthetic asks for them", import: { synthetic: true } });
    expect(server.requests).toEqual([]);
    store.close();
  });

  it("gives up on a host that does not answer within the time limit and loads the synthetic set, saying why", async () => {
    server = await startArchiveServer({ "hetrec2011-lastfm-2k.zip": Buffer.alloc(10) });
    server.plan("hetrec2011-lastfm-2k.zip", [{ kind: "silent" }, { kind: "silent" }]);
    const store = await openMemoryStore();
    const demo = await loadDemoData(store, { cacheDir: dir, timeLimitMs: 900, env: { MUSICREC_DATASETS_URL: server.base } });
    expect(demo.kind).toBe("synthetic");
    // The reason shows the time limit stopped the download (no wall-clock bound: CI machines are loaded).
    expect(demo.reason).toMatch(/^the HetRec 2011 dataset could not be fetched \(cannot download hetrec2011-lastfm-2k: .*(no response within 0\.3 s|stopped \(time limit reached\))/);
    expect(await store.isSynthetic()).toBe(true);
    store.close();
  });

  it("refuses an unknown MUSICREC_DEMO value", () => {
    expect(() => demoChoice({ MUSICREC_DEMO: "hetrec" })).toThrow('invalid MUSICREC_DEMO="hetrec": expected synthetic or auto');
    expect(demoChoice({})).toBe("auto");
  });
});
