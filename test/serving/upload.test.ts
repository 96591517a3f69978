import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { buildServer } from "../../src/serving/server.js";
import { escapeHtml } from "../../src/util/html.js";
import { buildFixture, type Fixture } from "./fixture-context.js";
import { fixtureCsv, fixtureExportCsv, fixtureUsers, XSS_ARTIST } from "./fixture-data.js";
import { formCsrf, multipartBody } from "./multipart.js";

let fixture: Fixture;
let app: FastifyInstance;
const LIMITS = { bytes: 64 * 1024, lines: 500 };

beforeAll(async () => {
  fixture = await buildFixture();
  app = await buildServer(fixture.context, { uploadLimits: LIMITS });
});
afterAll(async () => {
  await app?.close();
  fixture?.close();
});

const upload = async (fields: Record<string, string>, file?: { name: string; content: string | Buffer }) => {
  const withCsrf = fields.store === "yes" ? { _csrf: await formCsrf(app), ...fields } : fields;
  const body = multipartBody(withCsrf, file && { field: "history", ...file });
  return app.inject({ method: "POST", url: "/upload", ...body });
};

describe("Try your own history", () => {
  it("shows the form with the limits", async () => {
    const response = await app.inject({ method: "GET", url: "/upload" });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('enctype="multipart/form-data"');
    expect(response.body).toContain("Up to 64 KB and 500 lines");
  });

  it("recommends from every model by fold-in for an uploaded export, without storing it", async () => {
    const eventsBefore = await fixture.store.scalar("SELECT count(*) FROM events");
    const response = await upload({ format: "" }, { name: "alice.csv", content: fixtureExportCsv() });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("Read as <strong>lastfm-export</strong>");
    for (const model of ["svd", "content", "hybrid", "als", "popularity"]) {
      const column = response.body.split(`data-model="${model}"`)[1].split("</section>")[0];
      expect(column.match(/<li>/g)?.length, model).toBe(10);
      expect(column).toContain("because you played");
    }
    expect(await fixture.store.scalar("SELECT count(*) FROM events")).toBe(eventsBefore);
  });

  it("adds the upload to the store only when the box is ticked", async () => {
    const before = Number(await fixture.store.scalar("SELECT count(*) FROM events"));
    const response = await upload({ store: "yes", user: "alice" }, { name: "export.csv", content: fixtureExportCsv() });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain("Added 8 plays to the store (0 were already there)");
    expect(Number(await fixture.store.scalar("SELECT count(*) FROM events"))).toBe(before + 8);
    expect(await fixture.store.scalar("SELECT count(*) FROM users WHERE name = 'alice'")).toBe(1);
    const again = await upload({ store: "yes", user: "alice" }, { name: "export.csv", content: fixtureExportCsv() });
    expect(again.body).toContain("Added 0 plays to the store (8 were already there)");
  });

  it("escapes names from the uploaded file", async () => {
    const csv = `${XSS_ARTIST},Album,Song,01 Mar 2021 12:00\nRadiohead,OK Computer,Airbag,02 Mar 2021 12:00\n`;
    const response = await upload({}, { name: "<img src=x onerror=alert(1)>.csv", content: csv });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toMatch(/<script>alert|<img src=x/);
    expect(response.body.match(/<script/g)).toHaveLength(1);
  });

  it("refuses files over the size or line limit with a clear message", async () => {
    const big = await upload({}, { name: "big.csv", content: "a,b,c,01 Mar 2021 12:00\n".repeat(4000) });
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain("larger than the 64 KB limit");
    const long = await upload({}, { name: "long.csv", content: "a,b,c,01 Mar 2021 12:00\n".repeat(600) });
    expect(long.statusCode).toBe(413);
    expect(long.body).toContain("600 lines, more than the limit of 500");
  });

  it("answers malformed uploads with a readable error, never a 500", async () => {
    const cases: [Record<string, string>, { name: string; content: string | Buffer } | undefined][] = [
      [{}, { name: "garbage.bin", content: Buffer.from([0, 159, 146, 150, 255, 0, 1, 2, 10, 13]) }],
      [{}, { name: "notes.txt", content: "just some text\nwith lines\n" }],
      [{ format: "spotify" }, { name: "history.json", content: "{ not json" }],
      [{ format: "listenbrainz" }, { name: "listens.json", content: "[]" }],
      [{ format: "nonsense" }, { name: "a.csv", content: fixtureExportCsv() }],
      [{}, undefined],
    ];
    for (const [fields, file] of cases) {
      const response = await upload(fields, file);
      const label = `${file?.name ?? "no file"} ${JSON.stringify(fields)}`;
      expect(response.statusCode, label).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, label).toBeLessThan(500);
      expect(response.body, label).toContain("Upload failed.");
      expect(response.body, label).not.toMatch(/\n\s+at /);
      expect(response.body, label).not.toContain("musicrec-upload-"); // no temp paths
    }
  });
});

describe("a file of several listeners", () => {
  it("is never merged: the page asks whose history it is, then uses only that listener's plays", async () => {
    const [first, second, third] = fixtureUsers();
    const lines = fixtureCsv(11).trim().split("\n");
    const csv = `${[lines[0], ...lines.filter((line) => [first, second, third].includes(line.split(",")[1]))].join("\n")}\n`;
    const asked = await upload({}, { name: "everyone.csv", content: csv });
    expect(asked.statusCode).toBe(422);
    expect(asked.body).toContain("Whose history?");
    expect(asked.body).toContain("everyone.csv holds the histories of 3 listeners");
    expect(asked.body).toContain(`<option value="${escapeHtml(first)}">${escapeHtml(first)}</option>`);
    expect(asked.body).not.toContain(first);
    expect(asked.body).toContain('<select id="upload-user" name="user" required>');

    const plays = csv.split("\n").filter((line) => line.split(",")[1] === second).length;
    const chosen = await upload({ user: second }, { name: "everyone.csv", content: csv });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.body).toContain(`Read as <strong>kaggle</strong>: ${plays} plays`);

    const before = Number(await fixture.store.scalar("SELECT count(*) FROM events"));
    const stored = await upload({ user: second, store: "yes" }, { name: "everyone.csv", content: csv });
    expect(stored.body).toMatch(/Added \d+ plays to the store/);
    const added = Number(await fixture.store.scalar("SELECT count(*) FROM events")) - before;
    expect(added).toBeLessThanOrEqual(plays);
    expect(await fixture.store.scalar(`SELECT count(DISTINCT user_id) FROM events WHERE import_id = (SELECT max(import_id) FROM imports)`)).toBeLessThanOrEqual(1);

    const unknown = await upload({ user: "nobody" }, { name: "everyone.csv", content: csv });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toContain(escapeHtml('the listener "nobody" is not one of its 3 listeners'));
    expect(unknown.body).not.toContain("--user");
  });
});

describe("a listener added after training", () => {
  it("gets a page explaining why there are no recommendations yet", async () => {
    await upload({ store: "yes", user: "latecomer" }, { name: "late.csv", content: fixtureExportCsv() });
    const response = await app.inject({ method: "GET", url: "/recommendations?user=latecomer" });
    expect(response.statusCode).toBe(404);
    expect(response.body).toContain("is in the store but not in the trained models");
    const unknown = await app.inject({ method: "GET", url: "/recommendations?user=nobody-at-all" });
    expect(unknown.body).toContain("unknown user");
  });
});

describe("cross-site uploads", () => {
  it("are refused (403) by Fetch metadata or Origin, same-site ones pass", async () => {
    const body = multipartBody({}, { field: "history", name: "a.csv", content: fixtureExportCsv() });
    const send = (headers: Record<string, string>) =>
      app.inject({ method: "POST", url: "/upload", payload: body.payload, headers: { ...body.headers, host: "127.0.0.1:5000", ...headers } });
    expect((await send({ "sec-fetch-site": "cross-site" })).statusCode).toBe(403);
    expect((await send({ origin: "https://evil.example" })).statusCode).toBe(403);
    expect((await send({ origin: "null" })).statusCode).toBe(403);
    expect((await send({ "sec-fetch-site": "same-origin" })).statusCode).toBe(200);
    expect((await send({ origin: "http://127.0.0.1:5000" })).statusCode).toBe(200);
  });
});
