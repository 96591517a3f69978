/**
 * The web app and JSON API as a Fastify instance built from an injected AppContext, so tests can
 * drive it with `inject` and `musicrec serve` / `musicrec demo` can listen on a port.
 */
import Fastify, { type FastifyInstance } from "fastify";
import multipart from "@fastify/multipart";
import type { AppContext } from "./app-context.js";
import { registerAssetRoutes } from "./assets/asset-routes.js";
import { registerErrorHandling } from "./error-handling.js";
import { DOCS_PREFIX, registerOpenApi } from "./openapi.js";
import { errorPage } from "./pages/error-page.js";
import { renderPage } from "./pages/layout.js";
import type { RequestLoad } from "./request-load.js";
import { registerApiRoutes } from "./routes/api-routes.js";
import { registerFeedbackRoutes } from "./routes/feedback-routes.js";
import { registerPageRoutes } from "./routes/page-routes.js";
import { registerUploadRoutes } from "./routes/upload-routes.js";
import { registerSecurityHeaders } from "./security-headers.js";
import { UPLOAD_LIMITS, type UploadLimits } from "./upload-limits.js";

export interface ServerOptions {
  /** Log requests (pino to stdout); off in tests and benchmarks. */
  logger?: boolean;
  /** Counts requests in flight (the cache warm-up gives way to them). */
  load?: RequestLoad;
  /** Upload limits (tests lower them). */
  uploadLimits?: UploadLimits;
}

export async function buildServer(context: AppContext, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: "info" } : false,
    // Query strings like ?perArtist=1 are coerced to the schema types; unknown keys are ignored.
    ajv: { customOptions: { coerceTypes: true, removeAdditional: true, useDefaults: true, allErrors: false } },
    routerOptions: { maxParamLength: 1000 },
  });
  const uploadLimits = options.uploadLimits ?? UPLOAD_LIMITS;
  options.load?.track(app);
  registerSecurityHeaders(app, DOCS_PREFIX);
  registerErrorHandling(app, (status, message) =>
    renderPage({ title: `Error ${status}`, section: "none", synthetic: context.service.bundle.synthetic, syntheticReason: context.syntheticReason, body: errorPage(status, message) }),
  );
  await app.register(multipart, {
    limits: { fileSize: uploadLimits.bytes, files: 1, fields: 10, fieldSize: 1000, parts: 12 },
  });
  await registerOpenApi(app);
  registerAssetRoutes(app);
  registerApiRoutes(app, context);
  registerPageRoutes(app, context);
  registerUploadRoutes(app, context, uploadLimits);
  registerFeedbackRoutes(app, context);
  return app;
}
