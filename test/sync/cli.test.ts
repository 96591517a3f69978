/**
 * The acceptance runs of `musicrec sync`: the real CLI (a child process) against fake ListenBrainz
 * and Last.fm servers in this process, including a real 1 s Retry-After, kill -9 and Ctrl-C.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { repoRoot, scratchDir } from "../ingest/helpers.js";
import { Store } from "../../src/store/store.js";
import { fixture } from "../ingest/helpers.js";
import { lastfmApi, listenBrainzApi, musicBrainzApi, type LastfmUser } from "./fake-apis.js";
import { FakeServer, json } from "./fake-server.js";
import { listeningHistory, type Play } from "./history.js";

const dir = scratchDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let dbCount = 0;
const freshDb = () => path.join(dir, `sync-${++dbCount}.duckdb`);

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: ConstructorParameters<typeof FakeServer>[0]): Promise<FakeServer> {
  const server = new FakeServer(handler);
  await server.start();
  servers.push(server);
  return server;
}

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking this process (its fake servers must keep answering). */
function musicrec(db: string, args: string[], options: { env?: Record<string, string>; onStart?: (kill: (signal: NodeJS.Signals) => void) => void } = {}): Promise<Run> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "src/cli/main.ts"), "--db", db, ...args], {
    cwd: repoRoot,
    env: { ...process.env, MUSICREC_HTTP_BACKOFF_MS: "5", ...options.env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  child.stderr.on("data", (chunk) => (stderr += chunk));
  options.onStart?.((signal) => child.kill(signal));
  return new Promise((resolve) => child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr })));
}

/** Events in a store the CLI has closed (read here rather than by another slow child process). */
async function events(db: string): Promise<number> {
  const store = await Store.open(db, { readOnly: true });
  try {
    return (await store.scalar("SELECT count(*) FROM events")) ?? 0;
  } finally {
    store.close();
  }
}

function history(count: number, seed: number): Map<string, Play[]> {
  return new Map([["rob", listeningHistory(count, seed)]]);
}

describe("musicrec sync listenbrainz (CLI)", () => {
  it("imports all 1,090 listens in two pages; again, 0 in exactly one request", async () => {
    const server = await serve(listenBrainzApi(history(1090, 21)));
    const db = freshDb();
    const first = await musicrec(db, ["sync", "listenbrainz", "rob", "--api-url", server.url, "--json"]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result).toMatchObject({ source: "listenbrainz", user: "rob", imported: 1090, duplicates: 0, skipped: 0, pages: 2 });
    expect(typeof result.seconds).toBe("number");
    expect(server.requests.length).toBe(2);
    expect(server.requests[0].headers["user-agent"]).toMatch(/^musicrec\/\d+\.\d+\.\d+/);

    const second = await musicrec(db, ["sync", "listenbrainz", "rob", "--api-url", server.url, "--json"]);
    expect(JSON.parse(second.stdout)).toMatchObject({ imported: 0, duplicates: 0, pages: 1 });
    expect(server.requests.length).toBe(3);
    expect(await events(db)).toBe(1090);
  });

  it("waits out a 429 with Retry-After: 1 on the first page", async () => {
    const server = await serve(listenBrainzApi(history(1090, 21)));
    server.faults.push({ when: (_, index) => index === 0, reply: json({ code: 429, error: "Too many requests" }, 429, { "Retry-After": "1" }) });
    const run = await musicrec(freshDb(), ["sync", "listenbrainz", "rob", "--api-url", server.url, "--json"]);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ imported: 1090, pages: 2 });
    expect(server.requests.length).toBe(3);
    expect(server.requests[1].at - server.requests[0].at).toBeGreaterThanOrEqual(1000);
  });

  it.each([
    ["kill -9", "SIGKILL" as const],
    ["Ctrl-C", "SIGINT" as const],
  ])("resumes after %s mid-sync with no duplicates and no gaps", async (_, signal) => {
    const users = history(3500, 5);
    const server = await serve(listenBrainzApi(users));
    // The request for page 4 stalls and the client is stopped: pages 1 and 2 are stored by then, page 3
    // is being stored (the next page downloads while one is stored).
    server.faults.push({ when: (_url, index) => index === 3, reply: "hang" });
    const db = freshDb();
    const stopped = await musicrec(db, ["sync", "listenbrainz", "rob", "--api-url", server.url], {
      onStart: (kill) => (server.onRequest = (_url, index) => index === 3 && setTimeout(() => kill(signal), 50)),
    });
    server.onRequest = null;
    const kept = await events(db);
    if (signal === "SIGKILL") {
      expect(stopped.signal).toBe("SIGKILL");
      expect([1999, 2998]).toContain(kept);
    } else {
      // Ctrl-C lets the page being stored finish.
      expect(stopped.status).toBe(130);
      expect(stopped.stderr).toContain("musicrec: interrupted; the pages stored so far are kept: run the same command again to resume");
      expect(kept).toBe(2998);
    }

    const resumed = await musicrec(db, ["sync", "listenbrainz", "rob", "--api-url", server.url, "--json"]);
    expect(resumed.status).toBe(0);
    // The listen on the boundary of the last stored page is fetched again after a restart: a duplicate.
    expect(JSON.parse(resumed.stdout)).toMatchObject({ imported: 3500 - kept, duplicates: 1 });
    expect(await events(db)).toBe(new Set(users.get("rob")!.map((play) => `${play.at}|${play.artist}|${play.track}`)).size);
    expect(JSON.parse((await musicrec(db, ["sync", "listenbrainz", "rob", "--api-url", server.url, "--json"])).stdout)).toMatchObject({ imported: 0 });
  }, 240_000);

  it("an unknown user or service is one line on stderr, exit status 1", async () => {
    const server = await serve(listenBrainzApi(history(10, 1)));
    const unknown = await musicrec(freshDb(), ["sync", "listenbrainz", "nobody", "--api-url", server.url]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toBe('musicrec: ListenBrainz user "nobody" not found (HTTP 404: Cannot find user: nobody)\n');
    const service = await musicrec(freshDb(), ["sync", "spotify", "rob"]);
    expect(service.stderr).toBe('musicrec: unknown service "spotify": expected one of listenbrainz, lastfm, librefm\n');
    const none = await musicrec(freshDb(), ["sync"]);
    expect(none.stderr).toBe("musicrec: no account synced yet: musicrec sync listenbrainz|lastfm|librefm USER\n");
  });
});

describe("musicrec sync lastfm (CLI)", () => {
  const KEY = "b25b959554ed76058ac220b7b2e0a026";

  it("imports ~17,000 scrobbles (now playing skipped); again, 0 in one request; a bare `sync` refreshes every account", async () => {
    const plays = listeningHistory(17_001, 33);
    const users = new Map<string, LastfmUser>([["rj", { plays: plays.slice(1), nowPlaying: plays[0] }]]);
    const lastfm = await serve(lastfmApi(users, { keys: [KEY] }));
    const db = freshDb();
    // Last.fm's pacing (4 requests/s) is shortened for the test; everything else is as a user runs it.
    const env = { MUSICREC_HTTP_INTERVAL_MS: "0" };
    const first = await musicrec(db, ["sync", "lastfm", "rj", "--api-key", KEY, "--api-url", `${lastfm.url}/2.0/`, "--json"], { env });
    expect(first.stderr).toBe("");
    expect(JSON.parse(first.stdout)).toMatchObject({ source: "lastfm", user: "rj", imported: 17_000, duplicates: 0, skipped: 1, pages: 85 });
    expect(lastfm.requests.length).toBe(85);
    expect(lastfm.requests.every((request) => request.url.searchParams.get("limit") === "200")).toBe(true);

    users.get("rj")!.nowPlaying = undefined;
    const second = await musicrec(db, ["sync", "lastfm", "rj", "--api-key", KEY, "--api-url", `${lastfm.url}/2.0/`, "--json"], { env });
    expect(JSON.parse(second.stdout)).toMatchObject({ imported: 0, pages: 1 });
    expect(lastfm.requests.length).toBe(86);

    const listenbrainz = await serve(listenBrainzApi(history(40, 2)));
    await musicrec(db, ["sync", "listenbrainz", "rob", "--api-url", listenbrainz.url]);
    users.get("rj")!.plays.unshift({ ...plays[1], at: plays[1].at + 400 });
    const all = await musicrec(db, ["sync", "--json"], { env: { ...env, LASTFM_API_KEY: KEY } });
    expect(all.status).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject([
      { source: "lastfm", user: "rj", imported: 1 },
      { source: "listenbrainz", user: "rob", imported: 0 },
    ]);
    expect(await events(db)).toBe(17_000 + 1 + 40);
  }, 300_000);

  it("error codes 6, 10 and 17 are one line each", async () => {
    const users = new Map<string, LastfmUser>([["hidden", { plays: [], private: true }]]);
    const lastfm = await serve(lastfmApi(users, { keys: [KEY] }));
    const run = (user: string, key: string) => musicrec(freshDb(), ["sync", "lastfm", user, "--api-key", key, "--api-url", `${lastfm.url}/2.0/`]);
    expect((await run("nobody", KEY)).stderr).toBe('musicrec: Last.fm user "nobody" not found (error 6: User not found)\n');
    expect((await run("hidden", KEY)).stderr).toBe(
      'musicrec: Last.fm user "hidden" keeps their listening history private (error 17: Login: User required to be logged in); it must be public to sync\n',
    );
    const badKey = await run("hidden", "nope");
    expect(badKey.status).toBe(1);
    expect(badKey.stderr).toBe(
      "musicrec: Last.fm rejected the API key (error 10: Invalid API key - You must be granted a valid key by last.fm); check --api-key or LASTFM_API_KEY\n",
    );
  });
});

describe("musicrec enrich tags (CLI)", () => {
  it("tags the synced artists from MusicBrainz, once", async () => {
    const musicbrainz = await serve(
      musicBrainzApi([
        { id: "a74b1b7f-71a5-4011-9441-d0b5e4122711", name: "Radiohead", genres: [{ name: "art rock", count: 17 }], tags: [{ name: "art rock", count: 17 }] },
        { id: "8f6bd1e4-fbe1-45d6-8f00-f9f14d7b5e34", name: "Portishead", genres: [{ name: "trip hop", count: 14 }], tags: [] },
      ]),
    );
    const db = freshDb();
    await musicrec(db, ["import", fixture("listenbrainz-api-page.json")]);
    const env = { MUSICREC_HTTP_INTERVAL_MS: "0", MUSICREC_CONTACT: "ops@example.org" };
    const args = ["enrich", "tags", "--api-url", `${musicbrainz.url}/ws/2`];
    const first = await musicrec(db, [...args, "--json"], { env });
    expect(first.stderr).toBe("");
    expect(JSON.parse(first.stdout)).toMatchObject({ source: "musicbrainz", artists: 3, tagged: 2, tags: 2, remaining: 0 });
    expect(musicbrainz.requests[0].headers["user-agent"]).toMatch(/^musicrec\/[\d.]+ \( ops@example\.org \)$/);
    const again = await musicrec(db, args, { env });
    expect(again.stdout).toBe("musicbrainz: 0 artists looked up, 0 with tags (0 tags), " + again.stdout.split(", ").at(-1));
    expect(musicbrainz.requests.length).toBe(5);
    expect((await musicrec(db, ["enrich", "tags", "--source", "discogs"])).stderr).toBe("musicrec: --source: expected one of musicbrainz, lastfm, got \"discogs\"\n");
  });
});
