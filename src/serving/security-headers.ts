import type { FastifyInstance } from "fastify";

/**
 * Strict policy for the app's own pages: scripts and styles only from this origin (the client
 * script and stylesheet are files, never inline), no plugins, no framing, forms post only here.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Swagger UI (at /docs) sets inline style attributes from its React components, so its pages
 * allow inline styles; scripts stay same-origin only. All its assets are served from this server.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const COMMON_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
};

const APP_HEADERS = { ...COMMON_HEADERS, "content-security-policy": APP_CSP };
const DOCS_HEADERS = { ...COMMON_HEADERS, "content-security-policy": DOCS_CSP };

/**
 * Adds the security headers to every response (pages, API, assets, errors, 404s). Set when the
 * request arrives, synchronously: this runs on every API call, so no promise per request.
 */
export function registerSecurityHeaders(app: FastifyInstance, docsPrefix: string): void {
  app.addHook("onRequest", (request, reply, done) => {
    const isDocs = request.url === docsPrefix || request.url.startsWith(`${docsPrefix}/`);
    reply.headers(isDocs ? DOCS_HEADERS : APP_HEADERS);
    done();
  });
}
