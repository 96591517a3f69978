import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../../src/store/store.js";
import type { HttpTiming } from "../../src/sync/http-timing.js";
import { syncAccount } from "../../src/sync/sync-account.js";
import { findAccount } from "../../src/sync/sync-accounts.js";
import { snapshot } from "../ingest/helpers.js";
import { listenBrainzApi } from "./fake-apis.js";
import { FakeServer, json } from "./fake-server.js";
import { listeningHistory, type Play } from "./history.js";
import { FAST } from "./timing.js";


let store: Store;
let server: FakeServer;
let users: Map<string, Play[]>;
let apiUrl: string;

beforeEach(async () => {
  store = await Store.open(":memory:");
  users = new Map([["rj", listeningHistory(450, 7)]]);
  server = new FakeServer(listenBrainzApi(users));
  apiUrl = await server.start();
});
afterEach(async () => {
  store.close();
  await server.close();
});

const sync = (options: { pageSize?: number; timing?: HttpTiming; account?: string } = {}) =>
  syncAccount(store, { service: "listenbrainz", account: options.account ?? "rj", apiUrl }, { timing: options.timing ?? FAST, pageSize: options.pageSize ?? 100 });

/** Stored events of a user as "time|artist|track", newest first. */
async function stored(user = "rj"): Promise<string[]> {
  const rows = await store.all(
    `SELECT epoch(e.played_at)::BIGINT AS t, a.name AS artist, i.track FROM events e JOIN users u USING (user_id)
     JOIN items i USING (item_id) JOIN artists a USING (artist_id) WHERE u.name = $user ORDER BY t DESC, artist, track`,
    { user },
  );
  return rows.map((row) => `${row.t}|${row.artist}|${row.track}`);
}

/** The same track twice in the same second is one listen to the store. */
const expected = (plays: Play[]) => [...new Set(plays.map((play) => `${play.at}|${play.artist}|${play.track}`))].sort().reverse();

/** `count` listens, all newer than the newest of `plays`. */
function newerThan(plays: Play[], count: number, seed: number): Play[] {
  const newer = listeningHistory(count, seed);
  const shift = plays[0].at + 600 - newer[newer.length - 1].at;
  for (const play of newer) play.at += shift;
  return newer;
}
const sortDesc = (lines: string[]) => [...lines].sort().reverse();

describe("sync listenbrainz", () => {
  it("walks back page by page, stores every listen once, then an unchanged history costs one request", async () => {
    const result = await sync();
    expect(result).toMatchObject({ source: "listenbrainz", user: "rj", listener: "rj", imported: 450, duplicates: 0, skipped: 0, rejected: 0 });
    // 100 per page with each page repeating the boundary second: 5 pages; the last one reaches the first listen.
    expect(result.pages).toBe(5);
    expect(sortDesc(await stored())).toEqual(expected(users.get("rj")!));
    const maxTs = server.requests.map((request) => request.url.searchParams.get("max_ts"));
    expect(maxTs[0]).toBeNull();
    expect(server.requests.every((request) => request.url.searchParams.get("count") === "100")).toBe(true);
    const account = await findAccount(store, "listenbrainz", `${apiUrl}/`, "rj");
    expect(account).toMatchObject({ syncedUntil: users.get("rj")![0].at, walk: null });

    const before = server.requests.length;
    expect(await sync()).toMatchObject({ imported: 0, duplicates: 0, pages: 1 });
    expect(server.requests.length - before).toBe(1);
  });

  it("fetches only the new listens next time", async () => {
    await sync();
    users.get("rj")!.unshift(...newerThan(users.get("rj")!, 30, 8));
    const before = server.requests.length;
    expect(await sync()).toMatchObject({ imported: 30, duplicates: 0, pages: 1 });
    expect(server.requests.length - before).toBe(1);
    expect((await stored()).length).toBe(480);
  });

  it("--full walks everything again and picks up listens submitted late with an older time", async () => {
    await sync();
    const plays = users.get("rj")!;
    // An offline player's cache, submitted now, with times in the middle of the history.
    plays.splice(200, 0, { ...plays[200], track: "Videotape", at: plays[200].at + 1 });
    expect(await sync()).toMatchObject({ imported: 0, pages: 1 });
    const full = await syncAccount(store, { service: "listenbrainz", account: "rj", apiUrl, full: true }, { timing: FAST, pageSize: 100 });
    expect(full).toMatchObject({ imported: 1, duplicates: 450 });
    expect(sortDesc(await stored())).toEqual(expected(plays));
    expect(await findAccount(store, "listenbrainz", `${apiUrl}/`, "rj")).toMatchObject({ syncedUntil: plays[0].at, walk: null });
  });

  it("keeps listens that share a second across a page boundary", async () => {
    const plays = listeningHistory(40, 3);
    // Six listens in one second (as a bulk import may leave), straddling the first two 10-listen pages.
    for (let i = 7; i < 13; i++) plays[i].at = plays[7].at;
    users.set("ties", plays);
    const result = await sync({ account: "ties", pageSize: 10 });
    expect(result).toMatchObject({ imported: expected(plays).length, duplicates: 0 });
    expect(sortDesc(await stored("ties"))).toEqual(expected(plays));
  });

  it("an empty history is remembered; listens that appear later are fetched", async () => {
    users.set("new", []);
    expect(await sync({ account: "new" })).toMatchObject({ imported: 0, pages: 1 });
    expect(await findAccount(store, "listenbrainz", `${apiUrl}/`, "new")).toMatchObject({ syncedUntil: null, walk: null });
    users.set("new", listeningHistory(12, 4));
    expect(await sync({ account: "new" })).toMatchObject({ imported: 12 });
  });

  it("an unknown user is a one-line error that stores nothing", async () => {
    const before = await snapshot(store);
    await expect(sync({ account: "nobody" })).rejects.toThrow(/^ListenBrainz user "nobody" not found \(HTTP 404: Cannot find user: nobody\)$/);
    expect(await snapshot(store)).toBe(before);
  });

  it("waits out 429 (Retry-After, else X-RateLimit-Reset-In) and retries a 500, a malformed page and a dropped connection", async () => {
    const page = (maxTs: string | null) => (url: URL) => url.searchParams.get("max_ts") === maxTs;
    server.faults.push(
      { when: page(null), reply: json({ code: 429, error: "Too Many Requests" }, 429, { "Retry-After": "0" }) },
      { when: page(null), reply: json({ code: 429, error: "Too Many Requests" }, 429, { "X-RateLimit-Reset-In": "0" }) },
      { when: (_, index) => index === 3, reply: { status: 500, body: "Internal Server Error" } },
      { when: (_, index) => index === 4, reply: { status: 200, headers: { "Content-Type": "application/json" }, body: '{"payload": {"count": 100, "listens": [{"listened_at"' } },
      { when: (_, index) => index === 5, reply: "drop-mid-body" },
    );
    const result = await sync();
    expect(result.imported).toBe(450);
    expect(result.pages).toBe(5);
    expect(server.requests.length).toBe(5 + 5);
    expect(sortDesc(await stored())).toEqual(expected(users.get("rj")!));
  });

  it("pauses when X-RateLimit-Remaining reaches 0, until the window resets", async () => {
    const local = new FakeServer(listenBrainzApi(users, { limit: 30, remaining: 0, resetIn: 1 }));
    const url = await local.start();
    try {
      // The pause is capped by maxWaitMs, here 300 ms, to keep the test short.
      await syncAccount(store, { service: "listenbrainz", account: "rj", apiUrl: url }, { timing: { ...FAST, maxWaitMs: 300 }, pageSize: 200 });
      const gaps = local.requests.slice(1).map((request, i) => request.at - local.requests[i].at);
      expect(gaps.length).toBeGreaterThan(0);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(280);
    } finally {
      await local.close();
    }
  });

  it("gives up after the retries with a one-line error; the next run resumes without duplicates or gaps", async () => {
    // Pages 1 and 2 arrive, then the server fails until it is fixed.
    server.faults.push({ when: (_, index) => index >= 2, reply: { status: 503, body: "Service Unavailable" }, times: 100 });
    await expect(sync({ timing: { ...FAST, retries: 2 } })).rejects.toThrow(
      /^ListenBrainz listens of "rj" before \d+ \(http:\/\/127\.0\.0\.1:\d+\): HTTP 503 \(gave up after 3 attempts; run again to resume\)$/,
    );
    expect((await stored()).length).toBe(199);
    const account = await findAccount(store, "listenbrainz", `${apiUrl}/`, "rj");
    expect(account?.syncedUntil).toBeNull();
    expect(account?.walk).toMatchObject({ top: users.get("rj")![0].at });

    server.faults.length = 0;
    // Listens that arrive meanwhile are newer than the walk: the resumed walk leaves them to the next sync.
    users.get("rj")!.unshift(...newerThan(users.get("rj")!, 7, 9));
    const resumed = await sync();
    expect(resumed.imported).toBe(450 - 199);
    expect(resumed.duplicates).toBe(1);
    expect(await sync()).toMatchObject({ imported: 7, pages: 1 });
    expect(sortDesc(await stored())).toEqual(expected(users.get("rj")!));
  });
});
