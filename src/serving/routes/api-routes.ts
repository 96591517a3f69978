/** The JSON API under /api (schemas and OpenAPI text in api-schemas.ts). */
import type { FastifyInstance } from "fastify";
import {
  HEALTH_SCHEMA,
  MAX_JSON_BODY_BYTES,
  PLAYLIST_SCHEMA,
  POST_RECOMMENDATIONS_SCHEMA,
  SIMILAR_SCHEMA,
  USER_RECOMMENDATIONS_SCHEMA,
  USERS_SCHEMA,
} from "../api-schemas.js";
import type { AppContext } from "../app-context.js";
import { PLAYLIST_FORMAT_INFO, type PlaylistFormat } from "../../playlists/formats.js";
import { safeFileStem } from "../../playlists/file-name.js";

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
  const { service } = context;
  const defaultModel = (model: string | undefined): string => model ?? service.defaultModel;

  app.get<{ Querystring: { query: string; limit: number } }>("/api/users", { schema: USERS_SCHEMA }, (request) =>
    context.users.search(request.query.query, request.query.limit),
  );

  app.get<{ Params: { user: string }; Querystring: RecommendQuerystring }>(
    "/api/users/:user/recommendations",
    { schema: USER_RECOMMENDATIONS_SCHEMA },
    (request, reply) => {
      const { model, k, perArtist, newArtistsOnly, libraryOnly } = request.query;
      const json = service.forUserJson(request.params.user, { model: defaultModel(model), k, perArtist, newArtistsOnly, libraryOnly });
      return reply.type("application/json; charset=utf-8").send(json);
    },
  );

  app.get<{ Params: { user: string }; Querystring: RecommendQuerystring & { format: PlaylistFormat; allTracks: boolean } }>(
    "/api/users/:user/playlist",
    { schema: PLAYLIST_SCHEMA },
    (request, reply) => {
      const { format, model, k, perArtist, newArtistsOnly, libraryOnly, allTracks } = request.query;
      const query = { model: defaultModel(model), k, perArtist, newArtistsOnly, libraryOnly };
      const user = request.params.user;
      const info = PLAYLIST_FORMAT_INFO[format];
      // M3U8 paths are absolute: the file is opened on this machine, next to the library.
      const out = info.serialize(service.playlistForUser(user, query), { allTracks });
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
      const { model, k, perArtist, newArtistsOnly, libraryOnly } = request.query;
      return service.forRows(rows, model ? [model] : service.modelNames, { k, perArtist, newArtistsOnly, libraryOnly });
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
