/** The JSON API under /api (schemas and OpenAPI text in api-schemas.ts). */
import type { FastifyInstance } from "fastify";
import {
  HEALTH_SCHEMA,
  MAX_JSON_BODY_BYTES,
  PLAYLIST_SCHEMA,
  POST_RECOMMENDATIONS_SCHEMA,
  REFRESH_SCHEMA,
  SIMILAR_SCHEMA,
  USER_RECOMMENDATIONS_SCHEMA,
  USERS_SCHEMA,
} from "../api-schemas.js";
import type { AppContext } from "../app-context.js";
import { PLAYLIST_FORMAT_INFO, type PlaylistFormat } from "../../playlists/formats.js";
import { safeFileStem } from "../../playlists/file-name.js";
import { UserError } from "../../util/errors.js";

interface RecommendQuerystring {
  model?: string;
  k: number;
  perArtist: number;
  newArtistsOnly: boolean;
  libraryOnly: boolean;
}

interface PostedPlay {
  artist: string;
  track?: string | null;
  album?: string | null;
  plays: number;
}

export function registerApiRoutes(app: FastifyInstance, context: AppContext): void {
  app.get<{ Querystring: { query: string; limit: number } }>("/api/users", { schema: USERS_SCHEMA }, (request) =>
    context.users.search(request.query.query, request.query.limit),
  );

  app.get<{ Params: { user: string }; Querystring: RecommendQuerystring }>(
    "/api/users/:user/recommendations",
    { schema: USER_RECOMMENDATIONS_SCHEMA },
    async (request, reply) => {
      const service = context.service;
      const { model, k, perArtist, newArtistsOnly, libraryOnly } = request.query;
      const query = { model: model ?? service.defaultModel, k, perArtist, newArtistsOnly, libraryOnly };
      const json = await context.scoring.run(() => service.forUserJson(request.params.user, query));
      return reply.type("application/json; charset=utf-8").send(json);
    },
  );

  app.get<{ Params: { user: string }; Querystring: RecommendQuerystring & { format: PlaylistFormat; allTracks: boolean } }>(
    "/api/users/:user/playlist",
    { schema: PLAYLIST_SCHEMA },
    async (request, reply) => {
      const service = context.service;
      const { format, model, k, perArtist, newArtistsOnly, libraryOnly, allTracks } = request.query;
      const query = { model: model ?? service.defaultModel, k, perArtist, newArtistsOnly, libraryOnly };
      const user = request.params.user;
      const info = PLAYLIST_FORMAT_INFO[format];
      // M3U8 paths are absolute: the file is opened on this machine, next to the library.
      const out = info.serialize(await context.scoring.run(() => service.playlistForUser(user, query)), { allTracks });
      const fileName = `${safeFileStem(user)}-${query.model}.${info.extension}`;
      return reply
        .type(info.contentType)
        .header("content-disposition", `attachment; filename="${fileName}"`)
        .header("x-playlist-tracks", String(out.written))
        .header("x-playlist-left-out", String(out.leftOut))
        .send(out.text);
    },
  );

  app.get<{ Params: { item: string }; Querystring: { model?: string; k: number } }>(
    "/api/items/:item/similar",
    { schema: SIMILAR_SCHEMA },
    async (request) => {
      const service = context.service;
      const model = request.query.model ?? service.defaultModel;
      const items = await context.scoring.run(() => service.similar(request.params.item, model, request.query.k));
      return { item: service.itemView(request.params.item), model, items };
    },
  );

  app.post<{ Querystring: RecommendQuerystring; Body: PostedPlay[] }>(
    "/api/recommendations",
    { schema: POST_RECOMMENDATIONS_SCHEMA, bodyLimit: MAX_JSON_BODY_BYTES },
    async (request) => {
      const service = context.service;
      const rows = request.body.map((play) => ({ artist: play.artist, track: play.track ?? null, plays: play.plays }));
      const { model, k, perArtist, newArtistsOnly, libraryOnly } = request.query;
      return context.scoring.run(() => service.forRows(rows, model ? [model] : service.modelNames, { k, perArtist, newArtistsOnly, libraryOnly }));
    },
  );

  app.get("/api/health", { schema: HEALTH_SCHEMA }, () => {
    const { models, refresh, writes, scoring } = context;
    const service = models.current.service;
    return {
      status: "ok",
      users: service.training.userNames.length,
      items: service.training.catalog.keys.length,
      level: service.training.catalog.level,
      models: service.modelNames,
      trainedAt: service.bundle.trainedAt,
      synthetic: service.bundle.synthetic,
      cache: { entries: service.cachedResponses, warmedUsers: service.warmedUsers },
      bundle: {
        id: service.bundle.id ?? null,
        trainedAt: service.bundle.trainedAt,
        loadedAt: models.loadedAt,
        swappedAt: models.swappedAt,
        swaps: models.swaps,
        lastError: context.bundleError(),
      },
      refresh: refresh && {
        running: refresh.running,
        last: refresh.last && { startedAt: refresh.last.startedAt, finishedAt: refresh.last.finishedAt, ok: refresh.last.ok, message: refresh.last.message },
        nextAt: refresh.nextAt,
      },
      writes: { enabled: writes.enabled, tokenRequired: writes.tokenRequired },
      load: { queued: scoring.queued, served: scoring.served, refused: scoring.refused, averageJobMs: scoring.averageJobMs, maxWaitMs: scoring.maxWaitMs },
    };
  });

  app.post("/api/refresh", { schema: REFRESH_SCHEMA, preHandler: context.writes.requireToken }, (_request, reply) => {
    if (!context.refresh) throw new UserError("this server cannot refresh its models (it was not started by musicrec serve on a store)", 409);
    const result = context.refresh.start();
    if (!result.started) {
      return reply.code(409).send({ error: `a refresh is already running (started ${result.runningSince})`, statusCode: 409, startedAt: result.runningSince });
    }
    return reply.code(202).send({ status: "started", startedAt: result.startedAt });
  });
}
