/**
 * Fetching a public dataset against a local stand-in host: verification before import, refusal of
 * truncated and altered archives with the store unchanged, resume with Range after a dropped
 * connection or an interrupted run, timeouts, retries, --from a local file, tar.gz archives.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { datasetNamed, type PublicDataset } from "../../src/datasets/catalog.js";
import { fetchDataset, type FetchOptions } from "../../src/datasets/fetch-dataset.js";
import { UserError } from "../../src/util/errors.js";
import type { Store } from "../../src/store/store.js";
import { openMemoryStore, snapshot, tableCounts } from "../ingest/helpers.js";
import { closedPort, startArchiveServer, type ArchiveServer } from "./archive-server.js";
import { HETREC_FOLDER, HETREC_SKIP_MESSAGE, hasHetrec, makeTarGz, makeZip, miniRelease } from "./fixtures.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "musicrec-datasets-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const fast = { connectTimeoutMs: 2_000, idleTimeoutMs: 2_000, retries: 3, retryDelayMs: 10 };
let store: Store;
let cacheDir: string;
let server: ArchiveServer | null = null;
let run = 0;
beforeEach(async () => {
  store = await openMemoryStore();
  cacheDir = path.join(dir, `cache-${run++}`);
});
afterEach(async () => {
  store.close();
  await server?.close();
  server = null;
});

const options = (extra: Partial<FetchOptions> = {}): FetchOptions => ({ cacheDir, download: fast, ...extra });

/** The mini release zipped, and served under its archive name. */
async function servedMini(): Promise<{ dataset: PublicDataset; zip: Buffer; url: string; server: ArchiveServer }> {
  const { dataset, folder } = miniRelease(path.join(dir, `mini-${run}`));
  const zip = fs.readFileSync(makeZip(path.join(dir, `mini-${run}.zip`), folder, "mini-hetrec/"));
  server = await startArchiveServer({ [dataset.archive.file]: zip });
  return { dataset, zip, url: server.url(dataset.archive.file), server };
}

/** fetchDataset must fail with `message` and leave the store and the cache's release folder as they were. */
async function expectRefused(attempt: () => Promise<unknown>, message: RegExp, datasetName: string): Promise<void> {
  const before = await snapshot(store);
  const failure = attempt();
  await expect(failure).rejects.toBeInstanceOf(UserError);
  await expect(failure).rejects.toThrow(message);
  expect(await snapshot(store)).toBe(before);
  expect(fs.existsSync(path.join(cacheDir, datasetName))).toBe(false);
  if (fs.existsSync(cacheDir)) expect(fs.readdirSync(cacheDir).filter((name) => name.includes("unpacking"))).toEqual([]);
}

describe("fetching over HTTP", () => {
  it("downloads, verifies every file, unpacks to the cache and imports; the download is not kept", async () => {
    const { dataset, url } = await servedMini();
    const result = await fetchDataset(store, dataset, options({ from: url }));
    expect(result.source).toBe(url);
    expect(result.verification.problems).toEqual([]);
    expect(result.verification.passed).toContain("readme.txt: 1 records, SHA-256");
    expect(result.import.files[0]).toMatchObject({ format: "hetrec", imported: 5 });
    expect(fs.readdirSync(cacheDir)).toEqual(["mini-hetrec"]);
    expect(fs.existsSync(path.join(cacheDir, "mini-hetrec", ".musicrec-verified.json"))).toBe(true);
  });

  it("a second fetch uses the verified copy in the cache (checked again) and adds nothing", async () => {
    const { dataset, url, server: host } = await servedMini();
    await fetchDataset(store, dataset, options({ env: { MUSICREC_DATASETS_URL: host.base } }));
    const lines: string[] = [];
    const again = await fetchDataset(store, dataset, options({ log: (line) => lines.push(line), env: { MUSICREC_DATASETS_URL: host.base } }));
    expect(host.requests.map((r) => r.path)).toEqual([path.basename(url)]);
    expect(lines).toEqual([expect.stringMatching(/using the verified copy in .*mini-hetrec/)]);
    expect(again.import.imported).toBe(0);
    // A cached file altered on disk is noticed and the release fetched again.
    fs.appendFileSync(path.join(cacheDir, "mini-hetrec", "tags.dat"), "99\textra\n");
    await fetchDataset(store, dataset, options({ env: { MUSICREC_DATASETS_URL: host.base } }));
    expect(host.requests).toHaveLength(2);
  });

  it("resumes with a Range request after the connection drops mid-file", async () => {
    const { dataset, zip, url, server: host } = await servedMini();
    host.plan(dataset.archive.file, [{ kind: "drop", at: Math.floor(zip.length * 0.4) }]);
    const retries: string[] = [];
    const result = await fetchDataset(store, dataset, options({ from: url, log: (line) => retries.push(line) }));
    expect(result.import.imported).toBe(5);
    expect(host.requests.map((r) => r.range)).toEqual([undefined, `bytes=${Math.floor(zip.length * 0.4)}-`]);
    expect(retries).toEqual([expect.stringMatching(/connection (closed after|lost).*attempt 2 resumes/)]);
  });

  it("resumes an interrupted run: the part received stays in the cache and the next run continues it", async () => {
    const { dataset, zip, url, server: host } = await servedMini();
    const cut = Math.floor(zip.length / 2);
    host.plan(dataset.archive.file, [{ kind: "drop", at: cut }]);
    await expectRefused(
      () => fetchDataset(store, dataset, options({ from: url, download: { ...fast, retries: 0 } })),
      /cannot download mini-hetrec: http:\/\/127\.0\.0\.1:\d+\/mini-hetrec\.zip: (the connection closed after|connection lost).*part received is kept.*run the command again to resume.*nothing was imported/,
      dataset.name,
    );
    expect(fs.statSync(path.join(cacheDir, "mini-hetrec.zip.part")).size).toBe(cut);
    const result = await fetchDataset(store, dataset, options({ from: url }));
    expect(result.import.imported).toBe(5);
    expect(host.requests.at(-1)?.range).toBe(`bytes=${cut}-`);
    expect(fs.readdirSync(cacheDir)).toEqual(["mini-hetrec"]);
  });

  it("refuses a download that keeps stopping short of its Content-Length, once the retries are used up", async () => {
    const { dataset, zip, url, server: host } = await servedMini();
    const drop = { kind: "drop" as const, at: zip.length - 100 };
    // Every answer stops at the same byte: after the first, no progress, so the retries are used up.
    host.plan(dataset.archive.file, Array.from({ length: 8 }, () => drop));
    await expectRefused(
      () => fetchDataset(store, dataset, options({ from: url, download: { ...fast, retries: 2 } })),
      /cannot download mini-hetrec: .*: (the connection closed after|connection lost)/,
      dataset.name,
    );
    // The first resume made progress (free), the two retries after it did not.
    expect(host.requests.map((r) => r.range)).toEqual([undefined, ...Array(3).fill(`bytes=${zip.length - 100}-`)]);
  });

  it("refuses a truncated copy served as if it were whole (a damaged zip), and deletes it", async () => {
    const { dataset, zip } = await servedMini();
    await server!.close();
    server = await startArchiveServer({ [dataset.archive.file]: zip.subarray(0, zip.length - 400) });
    await expectRefused(
      () => fetchDataset(store, dataset, options({ from: server!.url(dataset.archive.file) })),
      /mini-hetrec\.zip is refused, nothing was imported: .*(not a readable zip archive|damaged zip archive)/,
      dataset.name,
    );
    expect(fs.readdirSync(cacheDir)).toEqual([]);
  });

  it("refuses an archive whose file differs from the release (checksum), naming the file", async () => {
    const { dataset, folder } = miniRelease(path.join(dir, "altered"));
    fs.writeFileSync(path.join(folder, "tags.dat"), fs.readFileSync(path.join(folder, "tags.dat"), "utf8").replace("rock", "rokk"));
    server = await startArchiveServer({ [dataset.archive.file]: fs.readFileSync(makeZip(path.join(dir, "altered.zip"), folder)) });
    await expectRefused(
      () => fetchDataset(store, dataset, options({ from: server!.url(dataset.archive.file) })),
      /is refused, nothing was imported: it is not the Mini HetRec release \(tags\.dat: SHA-256 [0-9a-f]{12}… instead of the release's/,
      dataset.name,
    );
  });

  it("retries a 500 and waits out a slow start; gives up on a silent host after the connect timeout", async () => {
    const { dataset, url, server: host } = await servedMini();
    host.plan(dataset.archive.file, [{ kind: "status", status: 503 }]);
    expect((await fetchDataset(store, dataset, options({ from: url }))).import.imported).toBe(5);
    host.plan(dataset.archive.file, [{ kind: "silent" }, { kind: "silent" }]);
    fs.rmSync(cacheDir, { recursive: true });
    const started = Date.now();
    await expectRefused(
      () => fetchDataset(store, dataset, options({ from: url, download: { ...fast, connectTimeoutMs: 300, retries: 1 } })),
      /no response within 0\.3 s/,
      dataset.name,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("drops a stalled transfer after the idle timeout and resumes it", async () => {
    const { dataset, url, server: host } = await servedMini();
    host.plan(dataset.archive.file, [{ kind: "stall", after: 50_000 }]);
    const result = await fetchDataset(store, dataset, options({ from: url, download: { ...fast, idleTimeoutMs: 300 } }));
    expect(result.import.imported).toBe(5);
    expect(host.requests.map((r) => r.range)).toEqual([undefined, "bytes=50000-"]);
  });

  it("fails fast and clearly when the host refuses connections", async () => {
    const { dataset } = miniRelease(path.join(dir, "refused"));
    const port = await closedPort();
    const started = Date.now();
    const retries: string[] = [];
    await expectRefused(
      () =>
        fetchDataset(
          store,
          dataset,
          options({ download: { ...fast, failFastWhenUnreachable: true }, env: { MUSICREC_DATASETS_URL: `http://127.0.0.1:${port}` }, log: (line) => retries.push(line) }),
        ),
      /cannot download mini-hetrec: http:\/\/127\.0\.0\.1:\d+\/mini-hetrec\.zip: connection refused \(ECONNREFUSED; offline\?\)/,
      dataset.name,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(retries).toEqual([]);
  });
});

describe("--from a local archive or folder", () => {
  it("imports a local zip without touching the network, and keeps the given file", async () => {
    const { dataset, folder } = miniRelease(path.join(dir, "local"));
    const zip = makeZip(path.join(dir, "local.zip"), folder);
    const result = await fetchDataset(store, dataset, options({ from: zip }));
    expect(result).toMatchObject({ source: zip, import: { imported: 5 } });
    expect(fs.existsSync(zip)).toBe(true);
  });

  it("names a missing file", async () => {
    const { dataset } = miniRelease(path.join(dir, "missing"));
    await expectRefused(() => fetchDataset(store, dataset, options({ from: path.join(dir, "nope.zip") })), /--from .*nope\.zip: no such file or folder/, dataset.name);
  });

  it("verifies an unpacked folder in place; a file missing from it is refused", async () => {
    const { dataset, folder } = miniRelease(path.join(dir, "folder"));
    expect((await fetchDataset(store, dataset, options({ from: folder }))).import.imported).toBe(5);
    fs.rmSync(path.join(folder, "tags.dat"));
    await expectRefused(() => fetchDataset(store, dataset, options({ from: folder })), /is refused, .*tags\.dat is missing/, dataset.name);
  });

  it("reads tar.gz archives (the Last.fm-1K / 360K packaging), streamed", async () => {
    const release = path.join(dir, "tgz", "lastfm-dataset-360K");
    fs.mkdirSync(release, { recursive: true });
    fs.copyFileSync(path.join(import.meta.dirname, "../fixtures/ingest/lfm360k.tsv"), path.join(release, "usersha1-artmbid-artname-plays.tsv"));
    fs.writeFileSync(path.join(release, "usersha1-profile.tsv"), "not imported\n");
    const archive = await makeTarGz(path.join(dir, "lastfm-dataset-360K.tar.gz"), release, "lastfm-dataset-360K");
    const real = datasetNamed("lastfm-360k")!;
    const dataset: PublicDataset = { ...real, files: [{ ...real.files[0], records: 5, documentedMd5: "0".repeat(32) }] };
    const result = await fetchDataset(store, dataset, options({ from: archive }));
    expect(result.verification.warnings).toEqual([expect.stringMatching(/usersha1-artmbid-artname-plays\.tsv: MD5 [0-9a-f]{32} differs from the 0{32} its README gives/)]);
    expect(result.import.files[0]).toMatchObject({ format: "lfm360k", imported: 5, users: 2 });
    expect(fs.readdirSync(path.join(cacheDir, "lastfm-360k")).sort()).toEqual([".musicrec-verified.json", "usersha1-artmbid-artname-plays.tsv"]);

    const cut = path.join(dir, "cut.tar.gz");
    const bytes = fs.readFileSync(archive);
    fs.writeFileSync(cut, bytes.subarray(0, bytes.length - 60));
    const fresh = await openMemoryStore();
    const otherCache = path.join(dir, "cut-cache");
    await expect(fetchDataset(fresh, dataset, { cacheDir: otherCache, from: cut })).rejects.toThrow(
      /cut\.tar\.gz is refused, nothing was imported: .*damaged or incomplete tar\.gz archive/,
    );
    expect((await tableCounts(fresh)).events).toBe(0);
    fresh.close();
  });
});

describe.skipIf(!hasHetrec)("the real HetRec 2011 release", () => {
  if (!hasHetrec) it.skip(HETREC_SKIP_MESSAGE, () => {});

  it("passes every check of the catalog on the original files and imports 1,892 users, 17,632 artists, 92,834 pairs", async () => {
    const dataset = datasetNamed("hetrec2011-lastfm-2k")!;
    const zip = makeZip(path.join(dir, "hetrec2011-lastfm-2k.zip"), HETREC_FOLDER);
    const result = await fetchDataset(store, dataset, options({ from: zip }));
    expect(result.verification.problems).toEqual([]);
    expect(result.verification.passed).toEqual([
      "readme.txt: SHA-256",
      "artists.dat: 17,632 records, SHA-256 of the records",
      "user_artists.dat: 92,834 records, SHA-256 of the records",
      "tags.dat: 11,946 records, SHA-256",
      "user_taggedartists.dat: 186,479 records, SHA-256",
      "user_friends.dat: 25,434 records, SHA-256",
    ]);
    expect(await tableCounts(store)).toMatchObject({ users: 1_892, items: 17_632, events: 92_834 });
  });

  it("accepts the circulating variants of artists.dat and user_artists.dat (edited header, no last newline) by their records", async () => {
    const folder = path.join(dir, "variant");
    fs.cpSync(HETREC_FOLDER, folder, { recursive: true });
    fs.chmodSync(folder, 0o755);
    for (const name of fs.readdirSync(folder)) fs.chmodSync(path.join(folder, name), 0o644);
    const artists = fs.readFileSync(path.join(folder, "artists.dat"), "utf8");
    fs.writeFileSync(path.join(folder, "artists.dat"), artists.replace(/^[^\n]*/, "id \tname \turl \tpictureURL").replace(/\n$/, ""));
    const plays = fs.readFileSync(path.join(folder, "user_artists.dat"), "utf8");
    fs.writeFileSync(path.join(folder, "user_artists.dat"), plays.replace(/\n$/, ""));
    const result = await fetchDataset(store, datasetNamed("hetrec2011-lastfm-2k")!, options({ from: folder }));
    expect(result.verification.problems).toEqual([]);
    // One changed play count is caught although the row count is right.
    fs.writeFileSync(path.join(folder, "user_artists.dat"), plays.replace("\n2\t52\t11690\n", "\n2\t52\t11691\n"));
    await expectRefused(
      () => fetchDataset(store, datasetNamed("hetrec2011-lastfm-2k")!, options({ from: folder })),
      /user_artists\.dat: its records differ from the release's/,
      "hetrec2011-lastfm-2k",
    );
  });
});
