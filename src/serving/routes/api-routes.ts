/** The JSON API under /api (schemas and OpenAPI text in api-schemas.ts). */
import type { FastifyInstance, FastifyReply } from "fastify";
import {
  HEALTH_SCHEMA,
  MAX_JSON_BODY_BYTES,
  PLAYLIST_SCHEMA,
  POST_RECOMMENDATIONS_SCHEMA,
  RADIO_PLAYLIST_SCHEMA,
  RADIO_SCHEMA,
  REFRESH_SCHEMA,
  SEEDS_SCHEMA,
  SIMILAR_SCHEMA,
  USER_RECOMMENDATIONS_SCHEMA,
  USERS_SCHEMA,
} from "../api-schemas.js";
import type { AppContext } from "../app-context.js";
import { PLAYLIST_FORMAT_INFO, type PlaylistFormat, type PlaylistFormatInfo } from "../../playlists/formats.js";
import type { SerializedPlaylist } from "../../playlists/playlist.js";
import { safeFileStem } from "../../playlists/file-name.js";
import { UserError } from "../../util/errors.js";
import type { RadioQuery } from "../../service/radio.js";
import type { RecommendationService } from "../../service/recommendation-service.js";

interface RecommendQuerystring {
  model?: string;
  k: number;
  perArtist: number;
  newArtistsOnly: boolean;
  libraryOnly: boolean;
}

interface RadioQuerystring {
  seed: string | string[];
  user?: string;
  model?: string;
  k: number;
  perArtist: number;
  libraryOnly: boolean;
}

/** The service's radio query of a request's query string (one seed arrives as a string). */
export function radioQueryOf(service: RecommendationService, query: RadioQuerystring): RadioQuery {
  const { seed, user, model, k, perArtist, libraryOnly } = query;
  return { seeds: typeof seed === "string" ? [seed] : seed, user: user ?? null, model: model ?? service.defaultModel, k, perArtist, libraryOnly };
}

interface PostedPlay {
  artist: string;
  track?: string | null;
  album?: string | null;
  plays: number;
}

/** A playlist as an attachment with a safe file name, counting the tracks written and left out in headers. */
function sendPlaylist(reply: FastifyReply, info: PlaylistFormatInfo, out: SerializedPlaylist, stem: string): FastifyReply {
  return reply
    .type(info.contentType)
    .header("content-disposition", `attachment; filename="${stem}.${info.extension}"`)
    .header("x-playlist-tracks", String(out.written))
    .header("x-playlist-left-out", String(out.leftOut))
    .send(out.text);
}

export function registerApiRoutes(app: FastifyInstance, context: AppContext): void {
  app.get<{ Querystring: { query: string; limit: number } }>("/api/users", { schema: USERS_SCHEMA }, (request) =>
    context.users.search(request.query.query, request.query.limit),
  );

  app.get<{ Params: { user: string }; Querystring: RecommendQuerystring }>(
    "/api/users/:user/recommendations",
    { schema: USER_RECOMMENDATIONS_SCHEMA },
    (request, reply) => {
      const service = context.service;
      const { model, k, perArtist, newArtistsOnly, libraryOnly } = request.query;
      const json = service.forUserJson(request.params.user, { model: model ?? service.defaultModel, k, perArtist, newArtistsOnly, libraryOnly });
      return reply.type("application/json; charset=utf-8").send(json);
    },
  );

  app.get<{ Params: { user: string }; Querystring: RecommendQuerystring & { format: PlaylistFormat; allTracks: boolean } }>(
    "/api/users/:user/playlist",
    { schema: PLAYLIST_SCHEMA },
    (request, reply) => {
      const service = context.service;
      const { format, model, k, perArtist, newArtistsOnly, libraryOnly, allTracks } = request.query;
      const query = { model: model ?? service.defaultModel, k, perArtist, newArtistsOnly, libraryOnly };
      const user = request.params.user;
      const info = PLAYLIST_FORMAT_INFO[format];
      // M3U8 paths are absolute: the file is opened on this machine, next to the library.
      const out = info.serialize(service.playlistForUser(user, query), { allTracks });
      return sendPlaylist(reply, info, out, `${safeFileStem(user)}-${query.model}`);
    },
  );

  app.get<{ Querystring: RadioQuerystring }>("/api/radio", { schema: RADIO_SCHEMA }, (request) => {
    const service = context.service;
    return service.radio(radioQueryOf(service, request.query));
  });

  app.get<{ Querystring: RadioQuerystring & { format: PlaylistFormat; allTracks: boolean } }>(
    "/api/radio/playlist",
    { schema: RADIO_PLAYLIST_SCHEMA },
    (request, reply) => {
      const service = context.service;
      const query = radioQueryOf(service, request.query);
      const info = PLAYLIST_FORMAT_INFO[request.query.format];
      const out = info.serialize(service.radioPlaylist(query), { allTracks: request.query.allTracks });
      return sendPlaylist(reply, info, out, `radio-${safeFileStem(query.seeds[0])}-${query.model}`);
    },
  );

  app.get<{ Querystring: { query: string; limit: number } }>("/api/seeds", { schema: SEEDS_SCHEMA }, (request) =>
    context.models.current.seeds.search(request.query.query, request.query.limit),
  );

  app.get<{ Params: { item: string }; Querystring: { model?: string; k: number } }>(
    "/api/items/:item/similar",
    { schema: SIMILAR_SCHEMA },
    (request) => {
      const service = context.service;
      const model = request.query.model ?? service.defaultModel;
      const items = service.similar(request.params.item, model, request.query.k);
      return { item: service.itemView(request.params.item), model, items };
    },
  );

  app.post<{ Querystring: RecommendQuerystring; Body: PostedPlay[] }>(
    "/api/recommendations",
    { schema: POST_RECOMMENDATIONS_SCHEMA, bodyLimit: MAX_JSON_BODY_BYTES },
    (request) => {
      const service = context.service;
      const rows = request.body.map((play) => ({ artist: play.artist, track: play.track ?? null, plays: play.plays }));
      const { model, k, perArtist, newArtistsOnly, libraryOnly } = request.query;
      return service.forRows(rows, model ? [model] : service.modelNames, { k, perArtist, newArtistsOnly, libraryOnly });
    },
  );

  app.get("/api/health", { schema: HEALTH_SCHEMA }, () => {
    const { models, refresh, writes } = context;
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
