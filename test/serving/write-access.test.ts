/**
 * Writes through the server: the API needs the Bearer token (401 without, 403 when wrong or
 * when the server has none), web forms need the CSRF token, a same-origin request and (when the
 * server has a token) the token field; a non-loopback server without a token takes no writes.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RefreshRunner } from "../../src/service/refresh-runner.js";
import { createAppContext } from "../../src/serving/app-context.js";
import { buildServer } from "../../src/serving/server.js";
import { checkedToken, isLoopbackHost, WriteAccess } from "../../src/serving/write-access.js";
import { buildFixture, type Fixture } from "./fixture-context.js";
import { fixtureExportCsv } from "./fixture-data.js";
import { formCsrf, multipartBody } from "./multipart.js";

const TOKEN = "s3cret-token-for-tests-0123456789";
let fixture: Fixture;
const servers: FastifyInstance[] = [];

beforeAll(async () => {
  fixture = await buildFixture();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  fixture?.close();
});

/** A server over the fixture's models and store with the given write access; refresh steps are a no-op child. */
async function serverWith(writes: WriteAccess): Promise<FastifyInstance> {
  const refresh = new RefreshRunner({
    cli: { file: process.execPath, args: ["-e", "setTimeout(() => {}, 300)", "--"] },
    dbPath: "unused.duckdb",
    plan: async () => [{ name: "train", args: ["train"] }],
    log: () => {},
  });
  const { context: base } = fixture;
  const context = createAppContext(base.service.bundle, base.dataset, base.readHistory, { writes, refresh });
  const app = await buildServer(context);
  servers.push(app);
  return app;
}

const storeUpload = (app: FastifyInstance, fields: Record<string, string>, headers: Record<string, string> = {}) => {
  const body = multipartBody({ store: "yes", user: "writer", ...fields }, { field: "history", name: "export.csv", content: fixtureExportCsv() });
  return app.inject({ method: "POST", url: "/upload", payload: body.payload, headers: { ...body.headers, ...headers } });
};

describe("API writes need the token", () => {
  it("answers 401 without a token, 403 with a wrong one, 202 with the right one", async () => {
    const app = await serverWith(new WriteAccess({ token: TOKEN, host: "0.0.0.0" }));
    const missing = await app.inject({ method: "POST", url: "/api/refresh" });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers["www-authenticate"]).toBe('Bearer realm="musicrec"');
    expect(missing.json().error).toContain("Authorization: Bearer");
    const wrong = await app.inject({ method: "POST", url: "/api/refresh", headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.statusCode).toBe(403);
    expect((await app.inject({ method: "POST", url: "/api/refresh", headers: { authorization: "Basic abc" } })).statusCode).toBe(401);
    const right = await app.inject({ method: "POST", url: "/api/refresh", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.statusCode).toBe(202);
    expect(right.json()).toMatchObject({ status: "started", startedAt: expect.any(String) });
    // One refresh at a time: the second gets 409 with the running one's start time.
    const again = await app.inject({ method: "POST", url: "/api/refresh", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ startedAt: right.json().startedAt, error: expect.stringContaining("already running") });
    const health = (await app.inject({ method: "GET", url: "/api/health" })).json();
    expect(health.writes).toEqual({ enabled: true, tokenRequired: true });
    expect(health.refresh.running).toMatchObject({ startedAt: right.json().startedAt });
  });

  it("takes no API writes on a server without a token, even on loopback", async () => {
    const app = await serverWith(new WriteAccess({ host: "127.0.0.1" }));
    const response = await app.inject({ method: "POST", url: "/api/refresh", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toContain("--token or MUSICREC_TOKEN");
  });

  it("keeps reads open", async () => {
    const app = await serverWith(new WriteAccess({ token: TOKEN, host: "0.0.0.0" }));
    expect((await app.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
    expect((await app.inject({ method: "GET", url: `/api/users/${encodeURIComponent(fixture.context.service.training.userNames[0])}/recommendations` })).statusCode).toBe(200);
    const foldIn = await app.inject({ method: "POST", url: "/api/recommendations", payload: [{ artist: "Radiohead", plays: 3 }] });
    expect(foldIn.statusCode).toBe(200);
    // An upload that is not added to the store is no write either.
    const body = multipartBody({}, { field: "history", name: "export.csv", content: fixtureExportCsv() });
    expect((await app.inject({ method: "POST", url: "/upload", ...body })).statusCode).toBe(200);
  });
});

describe("web forms that write", () => {
  it("need the form's CSRF token", async () => {
    const app = await serverWith(new WriteAccess({ host: "127.0.0.1" }));
    const without = await storeUpload(app, {});
    expect(without.statusCode).toBe(403);
    expect(without.body).toContain("the form has expired or did not come from this server");
    const forged = await storeUpload(app, { _csrf: "lyb5t2o0.AAAAAAAAAAAAAAAA.forged-signature" });
    expect(forged.statusCode).toBe(403);
    const fromOtherServer = await formCsrf(await serverWith(new WriteAccess({ host: "127.0.0.1" })));
    expect((await storeUpload(app, { _csrf: fromOtherServer })).statusCode).toBe(403);
    const ok = await storeUpload(app, { _csrf: await formCsrf(app) });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain("to the store");
  });

  it("refuse a form sent from another site even with a valid CSRF token", async () => {
    const app = await serverWith(new WriteAccess({ host: "127.0.0.1" }));
    const csrf = await formCsrf(app);
    expect((await storeUpload(app, { _csrf: csrf }, { "sec-fetch-site": "cross-site" })).statusCode).toBe(403);
    expect((await storeUpload(app, { _csrf: csrf }, { "sec-fetch-site": "same-site" })).statusCode).toBe(403);
    expect((await storeUpload(app, { _csrf: csrf }, { origin: "https://evil.example" })).statusCode).toBe(403);
    const sameOrigin = await storeUpload(app, { _csrf: csrf }, { "sec-fetch-site": "same-origin", origin: "http://localhost:80" });
    expect(sameOrigin.statusCode).toBe(200);
  });

  it("on loopback without a token, refuse requests naming the server by another host (DNS rebinding)", async () => {
    const app = await serverWith(new WriteAccess({ host: "127.0.0.1" }));
    const rebound = await storeUpload(app, { _csrf: await formCsrf(app) }, { host: "evil.example:5000" });
    expect(rebound.statusCode).toBe(403);
    expect(rebound.body).toContain("localhost or 127.0.0.1");
  });

  it("ask for the server's token when it has one: 401 without, 403 when wrong", async () => {
    const app = await serverWith(new WriteAccess({ token: TOKEN, host: "0.0.0.0" }));
    const page = await app.inject({ method: "GET", url: "/upload" });
    expect(page.body).toContain('name="token" type="password"');
    const csrf = await formCsrf(app);
    expect((await storeUpload(app, { _csrf: csrf })).statusCode).toBe(401);
    expect((await storeUpload(app, { _csrf: csrf, token: "not-the-token-at-all" })).statusCode).toBe(403);
    expect((await storeUpload(app, { token: TOKEN })).statusCode).toBe(403); // the token alone does not replace the CSRF token
    expect((await storeUpload(app, { _csrf: csrf, token: TOKEN }, { host: "music.example:5000" })).statusCode).toBe(200);
  });

  it("expire after 12 hours", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const app = await serverWith(new WriteAccess({ host: "127.0.0.1", now: () => now }));
    const csrf = await formCsrf(app);
    now += 13 * 3_600_000;
    expect((await storeUpload(app, { _csrf: csrf })).statusCode).toBe(403);
  });
});

describe("a server on a non-loopback address without a token", () => {
  it("takes no writes and says why on the page", async () => {
    const writes = new WriteAccess({ host: "0.0.0.0" });
    expect(writes.enabled).toBe(false);
    expect(writes.describe()).toContain("writes disabled: this server listens on 0.0.0.0 without a token");
    const app = await serverWith(writes);
    const page = await app.inject({ method: "GET", url: "/upload" });
    expect(page.body).not.toContain('name="_csrf"');
    expect(page.body).toContain("Adding uploads to the store is off");
    const refused = await storeUpload(app, { _csrf: "x.y.z" });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain("start it with --token or MUSICREC_TOKEN");
    expect((await app.inject({ method: "POST", url: "/api/refresh", headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(403);
  });

  it("tells loopback addresses from others", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "app.localhost"]) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ["0.0.0.0", "::", "192.168.1.10", "music.example", "10.0.0.1"]) expect(isLoopbackHost(host), host).toBe(false);
  });

  it("refuses tokens too short to be secret", () => {
    expect(() => checkedToken("hunter2", "--token")).toThrow("--token must be at least 16 characters");
    expect(checkedToken(TOKEN, "--token")).toBe(TOKEN);
    expect(checkedToken(undefined, "--token")).toBeUndefined();
  });
});
