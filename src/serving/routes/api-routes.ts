/** The JSON API under /api (schemas and OpenAPI text in api-schemas.ts). */
import type { FastifyInstance } from "fastify";
import type { ModelName } from "../../models/recommender.js";
import {
  HEALTH_SCHEMA,
  MAX_JSON_BODY_BYTES,
  POST_RECOMMENDATIONS_SCHEMA,
  SIMILAR_SCHEMA,
  USER_RECOMMENDATIONS_SCHEMA,
  USERS_SCHEMA,
} from "../api-schemas.js";
import type { AppContext } from "../app-context.js";

interface RecommendQuerystring {
  model?: ModelName;
  k: number;
  perArtist: number;
  newArtistsOnly: boolean;
}

interface PostedPlay {
  artist: string;
  track?: string | null;
  album?: string | null;
  plays: number;
}

export function registerApiRoutes(app: FastifyInstance, context: AppContext): void {
  const { service } = context;
  const defaultModel = (model: ModelName | undefined): ModelName => model ?? service.defaultModel;

  app.get<{ Querystring: { query: string; limit: number } }>("/api/users", { schema: USERS_SCHEMA }, (request) =>
    context.users.search(request.query.query, request.query.limit),
  );

  app.get<{ Params: { user: string }; Querystring: RecommendQuerystring }>(
    "/api/users/:user/recommendations",
    { schema: USER_RECOMMENDATIONS_SCHEMA },
    (request, reply) => {
      const { model, k, perArtist, newArtistsOnly } = request.query;
      const json = service.forUserJson(request.params.user, { model: defaultModel(model), k, perArtist, newArtistsOnly });
      return reply.type("application/json; charset=utf-8").send(json);
    },
  );

  app.get<{ Params: { item: string }; Querystring: { model?: ModelName; k: number } }>(
    "/api/items/:item/similar",
    { schema: SIMILAR_SCHEMA },
    (request) => {
      const model = defaultModel(request.query.model);
      const items = service.similar(request.params.item, model, request.query.k);
      return { item: service.itemView(request.params.item), model, items };
    },
  );

  app.post<{ Querystring: RecommendQuerystring; Body: PostedPlay[] }>(
    "/api/recommendations",
    { schema: POST_RECOMMENDATIONS_SCHEMA, bodyLimit: MAX_JSON_BODY_BYTES },
    (request) => {
      const rows = request.body.map((play) => ({ artist: play.artist, track: play.track ?? null, plays: play.plays }));
      const { model, k, perArtist, newArtistsOnly } = request.query;
      return service.forRows(rows, model ? [model] : service.modelNames, { k, perArtist, newArtistsOnly });
    },
  );

  app.get("/api/health", { schema: HEALTH_SCHEMA }, () => ({
    status: "ok",
    users: service.training.userNames.length,
    items: service.training.catalog.keys.length,
    level: service.training.catalog.level,
    models: service.modelNames,
    trainedAt: service.bundle.trainedAt,
    synthetic: service.bundle.synthetic,
    cache: { entries: service.cachedResponses, warmedUsers: service.warmedUsers },
  }));
}
