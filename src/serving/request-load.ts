import type { FastifyInstance } from "fastify";

/** Requests being handled right now, so background work (the cache warm-up) can give way to them. */
export class RequestLoad {
  private inFlight = 0;

  get busy(): boolean {
    return this.inFlight > 0;
  }

  track(app: FastifyInstance): void {
    app.addHook("onRequest", (_request, _reply, done) => {
      this.inFlight++;
      done();
    });
    app.addHook("onResponse", (_request, _reply, done) => {
      this.inFlight--;
      done();
    });
  }
}
