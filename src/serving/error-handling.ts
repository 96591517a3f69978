/**
 * Maps every failure to a clean response: schema violations -> 400 naming the parameter,
 * UserError -> its status and message (503 overload with Retry-After), other 4xx from Fastify (bad JSON, body too large) -> their
 * status and message, anything else -> 500 with a generic message (the stack goes to the log only).
 * API routes answer JSON; pages answer an HTML error page.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ParameterError, UserError } from "../util/errors.js";
import { OverloadedError } from "./scoring-queue.js";

export interface ErrorBody {
  error: string;
  statusCode: number;
  /** The offending parameter for 400 responses caused by one. */
  parameter?: string;
}

type ValidationIssue = NonNullable<FastifyError["validation"]>[number];

/** Renders an HTML error page for non-API routes. */
export type ErrorPageRenderer = (status: number, message: string) => string;

export const isApiRequest = (request: FastifyRequest): boolean => request.url.startsWith("/api/") || request.url === "/api";

/** "querystring/k must be <= 100" -> { parameter: "k", message: "invalid parameter k: must be <= 100" }. */
export function describeValidation(issue: ValidationIssue, context: string | undefined): { parameter: string; message: string } {
  const params = issue.params as Record<string, unknown>;
  const path = issue.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const missing = typeof params.missingProperty === "string" ? params.missingProperty : undefined;
  const parameter = missing ? (path ? `${path}.${missing}` : missing) : path || context || "request";
  if (missing) return { parameter, message: `missing required parameter ${parameter}` };
  let detail = issue.message ?? "is invalid";
  if (Array.isArray(params.allowedValues)) detail += `: ${params.allowedValues.join(", ")}`;
  return { parameter, message: `invalid parameter ${parameter}: ${detail}` };
}

export function errorBodyOf(error: FastifyError | Error): ErrorBody {
  const fastifyError = error as FastifyError;
  if (fastifyError.validation && fastifyError.validation.length > 0) {
    const { parameter, message } = describeValidation(fastifyError.validation[0], fastifyError.validationContext);
    return { error: message, statusCode: 400, parameter };
  }
  if (error instanceof ParameterError) return { error: error.message, statusCode: 400, parameter: error.parameter };
  if (error instanceof UserError) return { error: error.message, statusCode: error.status };
  const status = fastifyError.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) return { error: error.message, statusCode: status };
  return { error: "internal error: the server failed to answer this request (details are in the server log)", statusCode: 500 };
}

function send(request: FastifyRequest, reply: FastifyReply, body: ErrorBody, renderPage: ErrorPageRenderer): FastifyReply {
  reply.code(body.statusCode);
  if (isApiRequest(request)) return reply.type("application/json; charset=utf-8").send(body);
  return reply.type("text/html; charset=utf-8").send(renderPage(body.statusCode, body.error));
}

export function registerErrorHandling(app: FastifyInstance, renderPage: ErrorPageRenderer): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = errorBodyOf(error);
    if (error instanceof OverloadedError) reply.header("retry-after", String(error.retryAfterSeconds));
    else if (body.statusCode >= 500) request.log.error({ err: error }, "request failed");
    return send(request, reply, body, renderPage);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0];
    return send(request, reply, { error: `no such page or endpoint: ${request.method} ${path}`, statusCode: 404 }, renderPage);
  });
}
