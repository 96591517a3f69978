/**
 * A local stand-in for a dataset host (node:http on 127.0.0.1, port 0): serves files with
 * Content-Length, ETag and Range requests like a static file server, and can misbehave on demand
 * (close the connection early, stall, answer 500, ignore Range).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RequestLog {
  path: string;
  range: string | undefined;
}

/** What to do with one request: `serve` the file normally, or a misbehaviour. */
export type Behaviour =
  | { kind: "serve" }
  /** Announce the full length, send only up to this byte of the file, then close the connection. */
  | { kind: "drop"; at: number }
  /** Send the headers and this many bytes, then nothing. */
  | { kind: "stall"; after: number }
  /** Accept the connection and never answer. */
  | { kind: "silent" }
  | { kind: "status"; status: number }
  /** Answer 200 with the whole file even to a Range request. */
  | { kind: "ignore-range" };

export interface ArchiveServer {
  base: string;
  url(name: string): string;
  requests: RequestLog[];
  /** Behaviour of the n-th request (0-based) for a path; default: serve. */
  plan(name: string, behaviours: Behaviour[]): void;
  close(): Promise<void>;
}

export async function startArchiveServer(files: Record<string, Buffer>): Promise<ArchiveServer> {
  const requests: RequestLog[] = [];
  const plans = new Map<string, Behaviour[]>();
  const seen = new Map<string, number>();
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((request, response) => {
    const name = decodeURIComponent(new URL(request.url ?? "/", "http://x").pathname.slice(1));
    requests.push({ path: name, range: request.headers.range });
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    const body = files[name];
    if (!body) {
      response.writeHead(404).end("not found");
      return;
    }
    const behaviour = plans.get(name)?.[n] ?? { kind: "serve" };
    if (behaviour.kind === "silent") return;
    if (behaviour.kind === "status") {
      response.writeHead(behaviour.status).end("try later");
      return;
    }
    const etag = `"${body.length}"`;
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? "");
        const ifRange = request.headers["if-range"];
    const start = range && behaviour.kind !== "ignore-range" && (ifRange == null || ifRange === etag) ? Number(range[1]) : 0;
    if (start >= body.length && range) {
      response.writeHead(416, { "content-range": `bytes */${body.length}` }).end();
      return;
    }
    const headers = { "content-length": String(body.length - start), etag, "accept-ranges": "bytes", "content-type": "application/octet-stream" };
    if (start > 0) response.writeHead(206, { ...headers, "content-range": `bytes ${start}-${body.length - 1}/${body.length}` });
    else response.writeHead(200, headers);
    if (behaviour.kind === "drop") {
      // Closed a moment later, as a real drop would: the client has taken in what was sent.
      response.write(body.subarray(start, Math.max(start, behaviour.at)), () => setTimeout(() => response.socket?.destroy(), 100));
    } else if (behaviour.kind === "stall") {
      response.write(body.subarray(start, start + behaviour.after));
    } else {
      response.end(body.subarray(start));
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    base,
    url: (name) => `${base}${name}`,
    requests,
    plan: (name, behaviours) => {
      plans.set(name, behaviours);
      seen.set(name, 0);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
