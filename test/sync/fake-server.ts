/**
 * Local stand-ins for the ListenBrainz, Last.fm / Libre.fm and MusicBrainz APIs (node:http on
 * 127.0.0.1, port 0) replaying their documented response shapes, with scripted faults: any
 * status and headers, a connection dropped mid-body, a request left hanging.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** A scripted misbehaviour for the requests `when` selects, `times` times (default once). */
export interface Fault {
  when: (url: URL, index: number) => boolean;
  reply: Reply | "drop-mid-body" | "hang";
  times?: number;
}

export interface SeenRequest {
  url: URL;
  headers: http.IncomingHttpHeaders;
  at: number;
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { "Content-Type": "application/json", ...headers },
  body: JSON.stringify(body),
});

export class FakeServer {
  readonly requests: SeenRequest[] = [];
  readonly faults: Fault[] = [];
  /** Called for every request, e.g. to kill a client when it asks for page 3. */
  onRequest: ((url: URL, index: number) => void) | null = null;
  private readonly server: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();

  constructor(private readonly handle: (url: URL, headers: http.IncomingHttpHeaders) => Reply) {
    this.server = http.createServer((request, response) => this.serve(request, response));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests whose path ends with `suffix` (retries included). */
  count(suffix = ""): number {
    return this.requests.filter((request) => request.url.pathname.endsWith(suffix)).length;
  }

  private serve(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? "/", this.url);
    const index = this.requests.length;
    this.requests.push({ url, headers: request.headers, at: Date.now() });
    this.onRequest?.(url, index);
    const fault = this.faults.find((candidate) => (candidate.times ?? 1) > 0 && candidate.when(url, index));
    if (fault != null) fault.times = (fault.times ?? 1) - 1;
    const reply = fault?.reply ?? this.handle(url, request.headers);
    if (reply === "hang") {
      this.hanging.add(response);
      return;
    }
    if (reply === "drop-mid-body") {
      const body = this.handle(url, request.headers).body;
      response.writeHead(200, { "Content-Type": "application/json", "Content-Length": String(Buffer.byteLength(body)) });
      response.write(body.slice(0, Math.floor(body.length / 2)));
      setTimeout(() => response.socket?.destroy(), 5);
      return;
    }
    response.writeHead(reply.status, reply.headers ?? {});
    response.end(reply.body);
  }
}
