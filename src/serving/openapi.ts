/**
 * OpenAPI description of the JSON API (generated from the route schemas by @fastify/swagger) and
 * Swagger UI at /docs. Swagger UI's scripts, styles and images come from the package's own files
 * served by this server, so the docs work offline; its spec validator badge is off (it would call
 * validator.swagger.io).
 */
import type { FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";

export const DOCS_PREFIX = "/docs";

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "musicrec API",
        version: "1",
        description:
          "Recommendations from the trained models (svd, content, hybrid, als, popularity) over your listening data. " +
          "Users are addressed by name and items by their item key (normalised artist, or artist key + U+001F + track key " +
          "for tracks), both percent-encoded in paths. Errors are JSON `{error, statusCode, parameter?}`: 400 for an " +
          "invalid parameter (named in `parameter`), 404 for an unknown user or item.",
      },
      tags: [
        { name: "users", description: "Listeners in the store" },
        { name: "recommendations", description: "Recommendations and similar items" },
        { name: "radio", description: "Ordered mixes from seed tracks or artists" },
        { name: "feedback", description: "What a listener never wants suggested (bans) and loved tracks" },
        { name: "service", description: "Health and refresh" },
      ],
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer", description: "The server's write token (--token / MUSICREC_TOKEN); needed by endpoints that change data" },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { validatorUrl: null, deepLinking: false, tryItOutEnabled: true },
  });
}
