/**
 * Overload: model work (API and pages) waits its turn in one FIFO queue, and a request that would
 * wait longer than the server's limit is answered 503 with Retry-After at once — before the work
 * queued ahead of it has run — instead of timing out; /api/health and answers already cached are
 * still sent, and health counts the refusals.
 */
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppContext } from "../../src/serving/app-context.js";
import { OverloadedError, ScoringQueue } from "../../src/serving/scoring-queue.js";
import { buildServer } from "../../src/serving/server.js";
import { buildFixture, type Fixture } from "./fixture-context.js";

/** Keeps the thread busy for `ms` (a stand-in for slow model work). */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe("ScoringQueue", () => {
  it("runs jobs one at a time in the order they came, passing results and errors through", async () => {
    const queue = new ScoringQueue();
    const order: number[] = [];
    const results = await Promise.allSettled(
      [0, 1, 2, 3, 4].map((n) =>
        queue.run(() => {
          order.push(n);
          if (n === 3) throw new Error("job 3 failed");
          return n * 10;
        }),
      ),
    );
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([0, 10, 20, "job 3 failed", 40]);
    expect(queue.served).toBe(5);
  });

  it("keeps up to `concurrency` jobs whose work runs elsewhere (a promise) in progress, starting them in arrival order", async () => {
    const queue = new ScoringQueue({ concurrency: 3 });
    const started: number[] = [];
    let inProgress = 0;
    let most = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) =>
        queue.run(async () => {
          started.push(n);
          most = Math.max(most, ++inProgress);
          await new Promise((resolve) => setTimeout(resolve, 5));
          inProgress--;
          if (n === 7) throw new Error("job 7 failed");
          return n;
        }),
      ),
    );
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(3);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([0, 1, 2, 3, 4, 5, 6, "job 7 failed", 8, 9]);
    expect(queue.served).toBe(10);
  });

  it("asks a concurrency given as a function anew: a server whose scoring threads failed runs one job at a time", async () => {
    let threads = 2;
    const queue = new ScoringQueue({ concurrency: () => 2 * threads });
    let inProgress = 0;
    let most = 0;
    const job = () =>
      queue.run(async () => {
        most = Math.max(most, ++inProgress);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inProgress--;
      });
    await Promise.all(Array.from({ length: 12 }, job));
    expect(most).toBe(4);
    threads = 0;
    most = 0;
    await Promise.all(Array.from({ length: 6 }, job));
    expect(most).toBe(1);
    expect(queue.concurrency).toBe(1);
  });

  it("refuses at once, with 503 and a retry time, a job that would wait longer than the limit", async () => {
    const queue = new ScoringQueue({ maxWaitMs: 50, retryAfterSeconds: 3 });
    const ran: number[] = [];
    const admitted = [0, 1, 2].map((n) => queue.run(() => (busy(40), ran.push(n))));
    // The average job time learns from the jobs run (it starts at 1 ms); set it to theirs.
    await Promise.all(admitted);
    expect(queue.averageJobMs).toBeGreaterThan(1);
    queue.averageJobMs = 40;
    // With two 40 ms jobs queued, a third would wait 80 ms > 50 ms.
    const first = queue.run(() => (busy(40), ran.push(3)));
    const second = queue.run(() => (busy(40), ran.push(4)));
    const refused = queue.run(() => ran.push(5));
    const error = await refused.catch((e: unknown) => e);
    // Refused before the two jobs ahead of it ran.
    expect(ran).toEqual([0, 1, 2]);
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error).toMatchObject({ status: 503, retryAfterSeconds: 3 });
    expect((error as Error).message).toMatch(/^the server is overloaded \(this request would wait about 80 ms for the models\): try again in 3 s$/);
    await Promise.all([first, second]);
    expect(ran).toEqual([0, 1, 2, 3, 4]);
    expect(queue.refused).toBe(1);
    // Drained: admitted again.
    await expect(queue.run(() => "ok")).resolves.toBe("ok");
  });

  it("refuses when the oldest queued request has waited the limit already, whatever the average says", async () => {
    const queue = new ScoringQueue({ maxWaitMs: 50 });
    const waiting = queue.run(() => "first");
    busy(60); // the process was held up before the queue could run
    await expect(queue.run(() => "second")).rejects.toBeInstanceOf(OverloadedError);
    await expect(waiting).resolves.toBe("first");
  });

  it("does not let one slow job (a pause of the process) inflate the average job time", async () => {
    const queue = new ScoringQueue();
    await queue.run(() => busy(200));
    expect(queue.averageJobMs).toBeLessThan(1.3);
  });

  it("lets I/O in between slices of queued work", async () => {
    const queue = new ScoringQueue({ sliceMs: 5 });
    const events: string[] = [];
    const jobs = Array.from({ length: 6 }, (_, n) => queue.run(() => (busy(4), events.push(`job ${n}`))));
    setTimeout(() => events.push("timer"), 0);
    await Promise.all(jobs);
    // The timer ran before the last job: the queue did not hold the event loop for all six.
    expect(events.indexOf("timer")).toBeGreaterThan(-1);
    expect(events.indexOf("timer")).toBeLessThan(events.length - 1);
  });
});

describe("an overloaded server", () => {
  let fixture: Fixture;
  let app: FastifyInstance;
  let users: string[];

  beforeAll(async () => {
    fixture = await buildFixture();
    const { context: base } = fixture;
    // Cache off and no waiting allowed: every request that finds work queued ahead of it is refused.
    const context = createAppContext(base.service.bundle, base.dataset, base.readHistory, { cacheEntries: 0, scoring: new ScoringQueue({ maxWaitMs: 0, retryAfterSeconds: 2 }) });
    app = await buildServer(context);
    users = base.service.training.userNames.slice(0, 12);
  });
  afterAll(async () => {
    await app?.close();
    fixture?.close();
  });

  it("answers 503 with Retry-After at once instead of queueing, and keeps answering /api/health", async () => {
    const answered: string[] = [];
    const requests = users.map((user, n) =>
      app.inject({ method: "GET", url: `/api/users/${encodeURIComponent(user)}/recommendations?k=5` }).then((response) => {
        answered.push(`${response.statusCode} ${n}`);
        return response;
      }),
    );
    const responses = await Promise.all(requests);
    const statuses = responses.map((r) => r.statusCode);
    expect(statuses).toContain(200);
    expect(statuses).toContain(503);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    for (const refused of responses.filter((r) => r.statusCode === 503)) {
      expect(refused.headers["retry-after"]).toBe("2");
      expect(refused.json()).toMatchObject({ statusCode: 503, error: expect.stringMatching(/^the server is overloaded .*: try again in 2 s$/) });
    }
    // The refusals did not wait for the model work that was admitted.
    const firstOk = answered.findIndex((a) => a.startsWith("200"));
    expect(answered.slice(0, firstOk).some((a) => a.startsWith("503"))).toBe(true);

    const health = await app.inject({ method: "GET", url: "/api/health" });
    expect(health.statusCode).toBe(200);
    expect(health.json().load).toMatchObject({ queued: 0, refused: statuses.filter((s) => s === 503).length, maxWaitMs: 0 });
  });

  it("answers the pages' model work the same way: an HTML error page with 503 and Retry-After", async () => {
    const responses = await Promise.all(users.map((user) => app.inject({ method: "GET", url: `/recommendations?user=${encodeURIComponent(user)}` })));
    const refused = responses.filter((r) => r.statusCode === 503);
    expect(refused.length).toBeGreaterThan(0);
    expect(responses.some((r) => r.statusCode === 200)).toBe(true);
    expect(refused[0].headers["retry-after"]).toBe("2");
    expect(refused[0].headers["content-type"]).toMatch(/^text\/html/);
    expect(refused[0].body).toContain("the server is overloaded");
  });

  it("still sends answers already cached while it refuses model work", async () => {
    const { context: base } = fixture;
    const cached = createAppContext(base.service.bundle, base.dataset, base.readHistory, { scoring: new ScoringQueue({ maxWaitMs: 0 }) });
    const server = await buildServer(cached);
    try {
      const url = (user: string) => `/api/users/${encodeURIComponent(user)}/recommendations?k=5`;
      expect((await server.inject({ method: "GET", url: url(users[0]) })).statusCode).toBe(200);
      // A burst of uncached requests fills the queue; the cached one comes last and is still answered.
      const burst = users.slice(1).map((user) => server.inject({ method: "GET", url: url(user) }));
      const again = server.inject({ method: "GET", url: url(users[0]) });
      const statuses = (await Promise.all(burst)).map((r) => r.statusCode);
      expect(statuses).toContain(503);
      expect((await again).statusCode).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("serves everyone once the queue has drained", async () => {
    for (const user of users.slice(0, 3)) {
      const response = await app.inject({ method: "GET", url: `/api/users/${encodeURIComponent(user)}/recommendations?k=5` });
      expect(response.statusCode).toBe(200);
    }
  });
});
