import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Store } from "../../src/store/store.js";
import { LIBREFM_API_KEY } from "../../src/sync/lastfm-client.js";
import { syncAccount, type SyncRequest } from "../../src/sync/sync-account.js";
import { findAccount } from "../../src/sync/sync-accounts.js";
import { snapshot } from "../ingest/helpers.js";
import { lastfmApi, type LastfmUser } from "./fake-apis.js";
import { FakeServer, json } from "./fake-server.js";
import { listeningHistory, type Play } from "./history.js";
import { FAST } from "./timing.js";

const KEY = "0123456789abcdef0123456789abcdef";

let store: Store;
let server: FakeServer;
let users: Map<string, LastfmUser>;
let apiUrl: string;

beforeEach(async () => {
  store = await Store.open(":memory:");
  const plays = listeningHistory(531, 11);
  users = new Map<string, LastfmUser>([
    ["frikandel_", { plays: plays.slice(1), nowPlaying: plays[0] }],
    ["hidden", { plays: listeningHistory(10, 2), private: true }],
    ["one", { plays: listeningHistory(1, 5) }],
  ]);
  server = new FakeServer(lastfmApi(users, { keys: [KEY, LIBREFM_API_KEY] }));
  apiUrl = `${await server.start()}/2.0/`;
});
afterEach(async () => {
  store.close();
  await server.close();
});

const sync = (request: Partial<SyncRequest> = {}, timing = FAST) =>
  syncAccount(store, { service: "lastfm", account: "frikandel_", apiUrl, apiKey: KEY, ...request }, { timing, pageSize: 100 });

async function stored(user = "frikandel_"): Promise<string[]> {
  const rows = await store.all(
    `SELECT epoch(e.played_at)::BIGINT AS t, a.name AS artist, i.track FROM events e JOIN users u USING (user_id)
     JOIN items i USING (item_id) JOIN artists a USING (artist_id) WHERE u.name = $user ORDER BY ALL DESC`,
    { user },
  );
  return rows.map((row) => `${row.t}|${row.artist}|${row.track}`);
}
const expected = (plays: Play[]) => [...new Set(plays.map((play) => `${play.at}|${play.artist}|${play.track}`))].sort().reverse();

describe("sync lastfm / librefm", () => {
  it("pages through getRecentTracks, skips the now-playing entry, then costs one request when nothing is new", async () => {
    const result = await sync();
    expect(result).toMatchObject({ source: "lastfm", user: "frikandel_", imported: 530, duplicates: 0, skipped: 1, rejected: 0, pages: 6 });
    expect([...(await stored())].sort().reverse()).toEqual(expected(users.get("frikandel_")!.plays));
    const first = server.requests[0].url.searchParams;
    expect(Object.fromEntries(first)).toMatchObject({ method: "user.getRecentTracks", user: "frikandel_", limit: "100", page: "1", api_key: KEY, format: "json" });
    expect(first.has("from")).toBe(false);
    // Every page of the walk has the same `to`, fixed when it started.
    expect(new Set(server.requests.map((request) => request.url.searchParams.get("to"))).size).toBe(1);
    expect(server.requests.map((request) => request.url.searchParams.get("page"))).toEqual(["1", "2", "3", "4", "5", "6"]);

    users.get("frikandel_")!.nowPlaying = undefined;
    const before = server.requests.length;
    expect(await sync()).toMatchObject({ imported: 0, duplicates: 0, skipped: 0, pages: 1 });
    expect(server.requests.length - before).toBe(1);
    expect(server.requests.at(-1)!.url.searchParams.get("from")).toBe(String(users.get("frikandel_")!.plays[0].at));
  });

  it("a one-scrobble page (track as an object) and new scrobbles later", async () => {
    expect(await sync({ account: "one" })).toMatchObject({ imported: 1, pages: 1 });
    const plays = users.get("one")!.plays;
    plays.unshift({ ...plays[0], track: "Glory Box", at: plays[0].at + 300 });
    expect(await sync({ account: "one" })).toMatchObject({ imported: 1, duplicates: 0, pages: 1 });
  });

  it.each([
    [{ account: "nobody" }, /^Last\.fm user "nobody" not found \(error 6: User not found\)$/],
    [{ account: "hidden" }, /^Last\.fm user "hidden" keeps their listening history private \(error 17: Login: User required to be logged in\); it must be public to sync$/],
    [{ apiKey: "wrong" }, /^Last\.fm rejected the API key \(error 10: Invalid API key - You must be granted a valid key by last\.fm\); check --api-key or LASTFM_API_KEY$/],
    [{ apiKey: "" }, /^Last\.fm needs an API key: --api-key KEY or LASTFM_API_KEY/],
  ])("%o fails with one line and changes nothing", async (request, message) => {
    const before = await snapshot(store);
    await expect(sync(request)).rejects.toThrow(message);
    expect(await snapshot(store)).toBe(before);
    expect(server.requests.length).toBeLessThanOrEqual(1);
  });

  it("retries error codes 8, 11, 16, waits on 29, retries 5xx, malformed JSON, another user's page and a dropped connection", async () => {
    const onPage = (page: string) => (url: URL) => url.searchParams.get("page") === page;
    server.faults.push(
      { when: onPage("1"), reply: json({ error: 8, message: "Operation failed - Most likely the backend service failed. Please try again." }) },
      { when: onPage("1"), reply: json({ error: 11, message: "Service Offline - This service is temporarily offline. Try again later." }, 503) },
      { when: onPage("2"), reply: json({ error: 16, message: "There was a temporary error processing your request. Please try again" }) },
      { when: onPage("2"), reply: json({ error: 29, message: "Rate Limit Exceeded - Your IP has made too many requests in a short period" }, 429) },
      { when: onPage("3"), reply: { status: 502, body: "<html>Bad Gateway</html>" } },
      { when: onPage("3"), reply: { status: 200, body: '{"recenttracks":{"track":[{"artist":' } },
      { when: onPage("4"), reply: json({ recenttracks: { track: [], "@attr": { user: "someone_else", totalPages: "1", page: "4" } } }) },
      { when: onPage("5"), reply: "drop-mid-body" },
    );
    const started = Date.now();
    const result = await sync();
    expect(result).toMatchObject({ imported: 530, skipped: 1, pages: 6 });
    expect(server.requests.length).toBe(6 + 8);
    // Error 29 says nothing about how long to wait: 30 × the backoff base (5 ms here).
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect([...(await stored())].sort().reverse()).toEqual(expected(users.get("frikandel_")!.plays));
  });

  it("resumes an interrupted walk at the next page, without duplicates or gaps", async () => {
    server.faults.push({ when: (url) => url.searchParams.get("page") === "4", reply: json({ error: 8, message: "Operation failed" }), times: 10 });
    await expect(sync({}, { ...FAST, retries: 1 })).rejects.toThrow(
      /^Last\.fm recent tracks of "frikandel_" \(page 4\): Last\.fm error 8: Operation failed \(gave up after 2 attempts; run again to resume\)$/,
    );
    expect((await stored()).length).toBe(300);
    const account = await findAccount(store, "lastfm", apiUrl, "frikandel_");
    expect(account).toMatchObject({ syncedUntil: null, walk: { page: 4 } });
    server.faults.length = 0;
    const before = server.requests.length;
    expect(await sync()).toMatchObject({ imported: 230, duplicates: 0, pages: 3 });
    expect(server.requests.slice(before).map((request) => request.url.searchParams.get("page"))).toEqual(["4", "5", "6"]);
    expect([...(await stored())].sort().reverse()).toEqual(expected(users.get("frikandel_")!.plays));
  });

  it("Libre.fm needs no key of the user: musicrec's placeholder key is sent", async () => {
    const result = await syncAccount(store, { service: "librefm", account: "frikandel_", apiUrl }, { timing: FAST, pageSize: 200 });
    expect(result).toMatchObject({ source: "librefm", imported: 530, pages: 3 });
    expect(server.requests[0].url.searchParams.get("api_key")).toBe(LIBREFM_API_KEY);
  });

  it("--as stores the listens under another name; the account and the name are remembered", async () => {
    await sync({ listener: "alice" });
    expect((await stored("alice")).length).toBe(530);
    expect(await findAccount(store, "lastfm", apiUrl, "frikandel_")).toMatchObject({ listener: "alice", walk: null });
    expect(await sync()).toMatchObject({ listener: "alice", imported: 0, pages: 1 });
  });
});
