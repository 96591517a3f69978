/**
 * Who may change data through the server (add an upload to the store, start a refresh, and any
 * later endpoint that writes). Reads stay open to everyone.
 *
 * - JSON API: `Authorization: Bearer <token>` with the server's token (--token, $MUSICREC_TOKEN),
 *   compared in constant time. No header: 401 (with `WWW-Authenticate: Bearer`); a wrong token:
 *   403. A server started without a token takes no API writes (403 saying how to set one).
 *   Guard a route with `{ preHandler: context.writes.requireToken }`.
 * - Web forms: the OWASP CSRF cheat sheet's HMAC-based token pattern plus Fetch Metadata as
 *   defence in depth. Each rendered form carries a token `issuedAt.nonce.HMAC-SHA256(secret,
 *   "csrf|issuedAt|nonce")` under a secret drawn when the process starts (valid 12 h; a restart
 *   invalidates open forms). A submission must carry a valid token, must not be cross-site
 *   (`Sec-Fetch-Site` same-origin or none, else an `Origin` naming this host), and when the
 *   server has a token, must carry it in the form's token field too. Guard a urlencoded or JSON
 *   form route with `{ preHandler: context.writes.requireForm }` (token in the `_csrf` field or an
 *   `X-CSRF-Token` header, server token in `token`); a multipart route calls `checkForm` once it
 *   has read the fields (see upload-routes.ts). Pages render `formFields()` into the form.
 * - Listening on a non-loopback address without a token, the server takes no writes at all.
 *   On loopback without a token, forms work without a token but only for requests whose Host
 *   is a loopback name, so a DNS-rebound foreign page cannot use them.
 */
import { createHmac, randomBytes, timingSafeEqual, createHash } from "node:crypto";
import net from "node:net";
import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from "fastify";
import { UserError } from "../util/errors.js";

export const TOKEN_ENV = "MUSICREC_TOKEN";
export const MIN_TOKEN_LENGTH = 16;
const CSRF_LIFETIME_MS = 12 * 3_600_000;
export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";
export const TOKEN_FIELD = "token";

export interface WriteAccessOptions {
  /** The write token; none = no API writes, and form writes only on loopback. */
  token?: string;
  /** The address the server listens on. */
  host: string;
  /** Secret for CSRF tokens (default: 32 random bytes per process). */
  secret?: Buffer;
  now?: () => number;
}

/** What a page needs to render a form that writes. */
export interface WriteFormFields {
  /** Null when the server takes no writes; the page says why instead. */
  csrf: string | null;
  /** The form must ask for the server's token. */
  askToken: boolean;
  disabledReason: string | null;
}

export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (net.isIPv4(name)) return name.startsWith("127.");
  if (net.isIPv6(name)) return name === "::1" || /^::ffff:127\./.test(name);
  return false;
}

/** A --token / $MUSICREC_TOKEN value, checked; undefined when neither is set. */
export function checkedToken(value: string | undefined, flag: string): string | undefined {
  if (value === undefined || value === "") return undefined;
  if (value.length < MIN_TOKEN_LENGTH || /\s/.test(value)) {
    throw new UserError(`${flag} must be at least ${MIN_TOKEN_LENGTH} characters without spaces; make one with: openssl rand -hex 32`);
  }
  return value;
}

const digest = (text: string) => createHash("sha256").update(text).digest();
const sameSecret = (given: string, expected: string) => timingSafeEqual(digest(given), digest(expected));

export class WriteAccess {
  /** Writes are possible at all (a token is set, or the server listens on loopback only). */
  readonly enabled: boolean;
  readonly tokenRequired: boolean;
  readonly disabledReason: string | null;
  private readonly token: string | undefined;
  private readonly secret: Buffer;
  private readonly now: () => number;

  constructor(options: WriteAccessOptions) {
    this.token = options.token;
    this.tokenRequired = options.token !== undefined;
    this.enabled = this.tokenRequired || isLoopbackHost(options.host);
    this.disabledReason = this.enabled
      ? null
      : `this server listens on ${options.host} without a token, so it takes no changes; start it with --token or ${TOKEN_ENV} to allow them`;
    this.secret = options.secret ?? randomBytes(32);
    this.now = options.now ?? Date.now;
  }

  /** One line for the start-up message. */
  describe(): string {
    if (!this.enabled) return `writes disabled: ${this.disabledReason}`;
    return this.tokenRequired
      ? "writes (uploads to the store, refresh) need the token: API Authorization: Bearer, web forms ask for it"
      : `writes from this machine's web forms only; the API takes none without --token or ${TOKEN_ENV}`;
  }

  /** preHandler of JSON API routes that write. */
  readonly requireToken: preHandlerHookHandler = (request, reply, done) => {
    try {
      this.checkBearer(request, reply);
      done();
    } catch (error) {
      done(error as Error);
    }
  };

  /** preHandler of form routes that write, for bodies parsed before handlers (urlencoded, JSON). */
  readonly requireForm: preHandlerHookHandler = (request, _reply, done) => {
    try {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const field = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : undefined);
      const header = request.headers[CSRF_HEADER];
      this.checkForm(request, { csrf: field(CSRF_FIELD) ?? (typeof header === "string" ? header : undefined), token: field(TOKEN_FIELD) });
      done();
    } catch (error) {
      done(error as Error);
    }
  };

  formFields(): WriteFormFields {
    return { csrf: this.enabled ? this.issueCsrf() : null, askToken: this.tokenRequired, disabledReason: this.disabledReason };
  }

  /** Checks a form submission that writes (throws a 401/403 UserError saying why it is refused). */
  checkForm(request: FastifyRequest, fields: { csrf?: string; token?: string }): void {
    if (!this.enabled) throw new UserError(this.disabledReason!, 403);
    if (isCrossSite(request)) throw new UserError("refused: this form was sent from another site; use the form on this server's own page", 403);
    if (!this.tokenRequired && !isLoopbackHost(hostName(request.headers.host ?? ""))) {
      throw new UserError("refused: without a token this server takes changes only when it is addressed as localhost or 127.0.0.1", 403);
    }
    if (!fields.csrf || !this.validCsrf(fields.csrf)) {
      throw new UserError("the form has expired or did not come from this server (it may have restarted): reload the page and send it again", 403);
    }
    if (this.tokenRequired) {
      if (!fields.token) throw new UserError("enter the server's write token to change data", 401);
      if (!sameSecret(fields.token, this.token!)) throw new UserError("wrong write token", 403);
    }
  }

  private checkBearer(request: FastifyRequest, reply: FastifyReply): void {
    if (!this.enabled) throw new UserError(this.disabledReason!, 403);
    if (!this.tokenRequired) {
      throw new UserError(`this server takes no changes through the API: start it with --token or ${TOKEN_ENV} and send Authorization: Bearer <token>`, 403);
    }
    const header = request.headers.authorization;
    const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      reply.header("www-authenticate", 'Bearer realm="musicrec"');
      throw new UserError("this request changes data: send the server's token as Authorization: Bearer <token>", 401);
    }
    if (!sameSecret(match[1], this.token!)) {
      reply.header("www-authenticate", 'Bearer realm="musicrec", error="invalid_token"');
      throw new UserError("wrong token", 403);
    }
  }

  private issueCsrf(): string {
    const issuedAt = this.now().toString(36);
    const nonce = randomBytes(12).toString("base64url");
    return `${issuedAt}.${nonce}.${this.sign(issuedAt, nonce)}`;
  }

  private validCsrf(token: string): boolean {
    const [issuedAt, nonce, mac, extra] = token.split(".");
    if (!issuedAt || !nonce || !mac || extra !== undefined) return false;
    const expected = this.sign(issuedAt, nonce);
    if (mac.length !== expected.length || !timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return false;
    const age = this.now() - parseInt(issuedAt, 36);
    return age >= -60_000 && age <= CSRF_LIFETIME_MS;
  }

  private sign(issuedAt: string, nonce: string): string {
    return createHmac("sha256", this.secret).update(`csrf|${issuedAt}|${nonce}`).digest("base64url");
  }
}

/** The host name of a Host header ("localhost:5000" -> "localhost", "[::1]:80" -> "::1"). */
function hostName(host: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(host);
  if (bracketed) return bracketed[1];
  return host.split(":")[0];
}

/** True for a browser request sent from another origin (Fetch metadata, else the Origin header). */
export function isCrossSite(request: FastifyRequest): boolean {
  const site = request.headers["sec-fetch-site"];
  if (typeof site === "string") return site !== "same-origin" && site !== "none";
  const origin = request.headers.origin;
  if (typeof origin !== "string") return false;
  if (origin === "null") return true;
  try {
    return new URL(origin).host !== request.headers.host;
  } catch {
    return true;
  }
}
