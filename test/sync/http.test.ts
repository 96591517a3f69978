import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/util/errors.js";
import { RateLimitedError, retryAfterMs, RetryableError } from "../../src/sync/http-errors.js";
import { httpGet } from "../../src/sync/http-get.js";
import { RequestPacer } from "../../src/sync/request-pacer.js";
import { userAgent } from "../../src/sync/user-agent.js";
import { withRetries } from "../../src/sync/with-retries.js";
import { FakeServer, json } from "./fake-server.js";
import { FAST } from "./timing.js";

describe("retryAfterMs", () => {
  it("reads delay-seconds and HTTP dates (RFC 9110), null otherwise", () => {
    expect(retryAfterMs("1")).toBe(1000);
    expect(retryAfterMs(" 120 ")).toBe(120_000);
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:30 GMT", now)).toBe(30_000);
    expect(retryAfterMs("Wed, 21 Oct 2015 07:27:00 GMT", now)).toBe(0);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
  });
});

describe("RequestPacer", () => {
  it("spaces requests by the interval and honours a pause", async () => {
    const pacer = new RequestPacer(60);
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      await pacer.wait();
      times.push(Date.now());
    }
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(55);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(55);
    pacer.pauseUntil(Date.now() + 150);
    const before = Date.now();
    await pacer.wait();
    expect(Date.now() - before).toBeGreaterThanOrEqual(140);
  });

  it("an abort ends the wait", async () => {
    const pacer = new RequestPacer(10_000);
    await pacer.wait();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("stop")), 20);
    await expect(pacer.wait(controller.signal)).rejects.toThrow("stop");
  });
});

describe("withRetries", () => {
  it("retries transient failures, waits on rate limits without using up retries, stops at once on anything else", async () => {
    let calls = 0;
    const waits: string[] = [];
    const result = await withRetries(
      async () => {
        calls++;
        if (calls <= 2) throw new RetryableError("HTTP 500");
        if (calls <= 5) throw new RateLimitedError("rate limited (HTTP 429)", 1);
        return "ok";
      },
      { timing: { ...FAST, retries: 2 }, what: "test request", onWait: (message) => waits.push(message) },
    );
    expect(result).toBe("ok");
    expect(calls).toBe(6);
    expect(waits[0]).toBe("HTTP 500: retrying (2 retries left)");
    expect(waits[2]).toBe("rate limited (HTTP 429): waiting 0s");

    calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw new UserError("user not found");
      }, { timing: FAST, what: "x" }),
    ).rejects.toThrow(/^user not found$/);
    expect(calls).toBe(1);

    await expect(
      withRetries(async () => {
        throw new RateLimitedError("rate limited", 1);
      }, { timing: { ...FAST, maxRateLimitWaits: 3 }, what: "lookup" }),
    ).rejects.toThrow(/^lookup: still rate limited after 3 waits; try again later$/);
  });
});

describe("httpGet", () => {
  let server: FakeServer;
  beforeEach(async () => {
    server = new FakeServer(() => json({ ok: true }));
    await server.start();
  });
  afterEach(() => server.close());

  it("times out a stalled response and a refused connection as retryable; an abort is not", async () => {
    server.faults.push({ when: () => true, reply: "hang" });
    await expect(httpGet(server.url, { timeoutMs: 150 })).rejects.toThrow(new RetryableError("no complete response within 0.15 s"));
    const closed = new FakeServer(() => json({}));
    const closedUrl = await closed.start();
    await closed.close();
    await expect(httpGet(closedUrl, { timeoutMs: 1000 })).rejects.toThrow(/^connection failed: fetch failed \(ECONNREFUSED\)$/);
    server.faults.push({ when: () => true, reply: "hang" });
    const controller = new AbortController();
    server.onRequest = () => setTimeout(() => controller.abort(new Error("Ctrl-C")), 10);
    await expect(httpGet(server.url, { timeoutMs: 5000, signal: controller.signal })).rejects.toThrow(/^Ctrl-C$/);
    server.onRequest = null;
    // Under load a timed-out request may not have reached the server: drop its unused fault.
    server.faults.length = 0;
    expect(await httpGet(server.url, { timeoutMs: 1000 })).toMatchObject({ status: 200, text: '{"ok":true}' });
  });

  it("a connection dropped mid-body is retryable", async () => {
    server.faults.push({ when: () => true, reply: "drop-mid-body" });
    await expect(httpGet(server.url, { timeoutMs: 2000 })).rejects.toBeInstanceOf(RetryableError);
  });
});

describe("userAgent", () => {
  it("is musicrec/<version> ( <contact> ) as MusicBrainz asks", () => {
    expect(userAgent("me@example.org")).toMatch(/^musicrec\/\d+\.\d+\.\d+ \( me@example\.org \)$/);
    expect(userAgent("")).toMatch(/^musicrec\/\d+\.\d+\.\d+$/);
  });
});
