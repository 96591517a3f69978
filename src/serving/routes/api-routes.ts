/** The JSON API under /api (schemas and OpenAPI text in api-schemas.ts). */
import type { FastifyInstance, FastifyReply } from "fastify";
import {
  BAN_SCHEMA,
  FEEDBACK_SCHEMA,
  HEALTH_SCHEMA,
  MAX_JSON_BODY_BYTES,
  PLAYLIST_SCHEMA,
  POST_RECOMMENDATIONS_SCHEMA,
  RADIO_PLAYLIST_SCHEMA,
  RADIO_SCHEMA,
  REFRESH_SCHEMA,
  SEEDS_SCHEMA,
  SIMILAR_SCHEMA,
  UNBAN_SCHEMA,
  USER_RECOMMENDATIONS_SCHEMA,
  USERS_SCHEMA,
} from "../api-schemas.js";
import type { AppContext } from "../app-context.js";
import { PLAYLIST_FORMAT_INFO, type PlaylistFormat, type PlaylistFormatInfo } from "../../playlists/formats.js";
import type { SerializedPlaylist } from "../../playlists/playlist.js";
import { safeFileStem } from "../../playlists/file-name.js";
import { ParameterError, UserError } from "../../util/errors.js";
import type { TargetName } from "../../service/opinion-changes.js";
import { parseDuration } from "../../util/duration.js";
import type { RadioQuery } from "../../service/radio.js";
import type { ListenerContext, RecommendQuery, RecommendationService } from "../../service/recommendation-service.js";
import type { ListenerStore } from "../listener-store.js";
import { scoringThreadCount, userRecommendationsJson } from "../served-models.js";

interface RecommendQuerystring {
  model?: string;
  k: number;
  perArtist: number;
  newArtistsOnly: boolean;
  libraryOnly: boolean;
  discovery?: number;
  includePlayed: boolean;
}

interface ListenerQuerystring extends RecommendQuerystring {
  notHeardWithin?: string;
}

/** The query options shared by every recommendation endpoint. */
export function recommendOptions(query: RecommendQuerystring): Omit<RecommendQuery, "model"> {
  const { k, perArtist, newArtistsOnly, libraryOnly, discovery, includePlayed } = query;
  return { k, perArtist, newArtistsOnly, libraryOnly, ...(discovery !== undefined && { discovery }), ...(includePlayed && { includePlayed }) };
}

/** A known listener's query, with the recent plays a notHeardWithin needs read from the store. */
export async function listenerQuery(
  listeners: ListenerStore | null,
  user: string,
  query: ListenerQuerystring,
  model: string,
): Promise<{ query: RecommendQuery; context: ListenerContext }> {
  const options: RecommendQuery = { model, ...recommendOptions(query) };
  const recent = await heardWithin(listeners, user, query.notHeardWithin);
  return { query: { ...options, ...recent.window }, context: recent.context };
}

/** What a notHeardWithin asks for: the window, and the listener's plays within it read from the store. */
async function heardWithin(
  listeners: ListenerStore | null,
  user: string,
  notHeardWithin: string | undefined,
): Promise<{ window: { notHeardWithinMs?: number }; context: ListenerContext }> {
  if (notHeardWithin === undefined) return { window: {}, context: {} };
  const notHeardWithinMs = parseDuration(notHeardWithin, "notHeardWithin");
  if (!listeners) throw new UserError("notHeardWithin needs the store's play dates, and this server has no store", 409);
  return { window: { notHeardWithinMs }, context: { heardRecently: await listeners.heardWithin(user, notHeardWithinMs) } };
}

interface RadioQuerystring {
  seed: string | string[];
  user?: string;
  model?: string;
  k: number;
  perArtist: number;
  libraryOnly: boolean;
  discovery?: number;
  notHeardWithin?: string;
}

/**
 * The service's radio query of a request's query string (one seed arrives as a string), with a
 * listener's bans up to date and the recent plays a notHeardWithin needs.
 */
export async function radioRequest(context: AppContext, service: RecommendationService, request: RadioQuerystring): Promise<{ query: RadioQuery; context: ListenerContext }> {
  const { seed, user, model, k, perArtist, libraryOnly, discovery, notHeardWithin } = request;
  const query: RadioQuery = {
    seeds: typeof seed === "string" ? [seed] : seed,
    user: user ?? null,
    model: model ?? service.defaultModel,
    k,
    perArtist,
    libraryOnly,
    ...(discovery !== undefined && { discovery }),
  };
  if (!user) {
    if (notHeardWithin !== undefined) throw new ParameterError("notHeardWithin", "leaves out what a listener heard recently: name the user");
    return { query, context: {} };
  }
  service.historyOf(user);
  await context.listeners?.opinions.fresh();
  const recent = await heardWithin(context.listeners, user, notHeardWithin);
  return { query: { ...query, ...recent.window }, context: recent.context };
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

/** The one artist, track or item a ban request names. */
function targetOf(fields: { artist?: string; track?: string; item?: string }): TargetName {
  const given = (["artist", "track", "item"] as const).filter((name) => fields[name] !== undefined);
  if (given.length !== 1) throw new UserError("name exactly one of artist, track (\"Artist - Track\") or item (an item key)", 400);
  const name = given[0];
  return name === "artist" ? { artist: fields.artist! } : name === "track" ? { track: fields.track! } : { item: fields.item! };
}

function listenersOf(context: AppContext): ListenerStore {
  if (!context.listeners) throw new UserError("this server has no store to keep bans in (it was not started by musicrec serve on a store)", 409);
  return context.listeners;
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

  app.get<{ Params: { user: string }; Querystring: ListenerQuerystring }>(
    "/api/users/:user/recommendations",
    { schema: USER_RECOMMENDATIONS_SCHEMA },
    async (request, reply) => {
      // Read once: a request in flight finishes on the models it started with, across a swap.
      const served = context.models.current;
      const service = served.service;
      const user = request.params.user;
      await context.listeners?.opinions.fresh();
      if (request.query.notHeardWithin === undefined) {
        const query = { model: request.query.model ?? service.defaultModel, ...recommendOptions(request.query) };
        // A cached answer is a map lookup: sent at once, never queued behind model work.
        const json = service.cachedUserJson(user, query) ?? (await context.scoring.run(() => userRecommendationsJson(served, user, query)));
        return reply.type("application/json; charset=utf-8").send(json);
      }
      service.historyOf(user);
      const { query, context: listener } = await listenerQuery(context.listeners, user, request.query, request.query.model ?? service.defaultModel);
      const json = await context.scoring.run(() => userRecommendationsJson(served, user, query, listener));
      return reply.type("application/json; charset=utf-8").send(json);
    },
  );

  app.get<{ Params: { user: string }; Querystring: ListenerQuerystring & { format: PlaylistFormat; allTracks: boolean } }>(
    "/api/users/:user/playlist",
    { schema: PLAYLIST_SCHEMA },
    async (request, reply) => {
      const service = context.service;
      const { format, allTracks } = request.query;
      const user = request.params.user;
      service.historyOf(user);
      await context.listeners?.opinions.fresh();
      const { query, context: listener } = await listenerQuery(context.listeners, user, request.query, request.query.model ?? service.defaultModel);
      const info = PLAYLIST_FORMAT_INFO[format];
      // M3U8 paths are absolute: the file is opened on this machine, next to the library.
      const out = info.serialize(await context.scoring.run(() => service.playlistForUser(user, query, new Date(), listener)), { allTracks });
      return sendPlaylist(reply, info, out, `${safeFileStem(user)}-${query.model}`);
    },
  );

  app.get<{ Querystring: RadioQuerystring }>("/api/radio", { schema: RADIO_SCHEMA }, async (request) => {
    const service = context.service;
    const { query, context: listener } = await radioRequest(context, service, request.query);
    return context.scoring.run(() => service.radio(query, listener));
  });

  app.get<{ Querystring: RadioQuerystring & { format: PlaylistFormat; allTracks: boolean } }>(
    "/api/radio/playlist",
    { schema: RADIO_PLAYLIST_SCHEMA },
    async (request, reply) => {
      const service = context.service;
      const { query, context: listener } = await radioRequest(context, service, request.query);
      const info = PLAYLIST_FORMAT_INFO[request.query.format];
      const out = info.serialize(await context.scoring.run(() => service.radioPlaylist(query, new Date(), listener)), { allTracks: request.query.allTracks });
      return sendPlaylist(reply, info, out, `radio-${safeFileStem(query.seeds[0])}-${query.model}`);
    },
  );

  app.get<{ Querystring: { query: string; limit: number } }>("/api/seeds", { schema: SEEDS_SCHEMA }, (request) =>
    context.models.current.seeds.search(request.query.query, request.query.limit),
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
      const model = request.query.model;
      return context.scoring.run(() => service.forRows(rows, model ? [model] : service.modelNames, recommendOptions(request.query)));
    },
  );

  app.get<{ Params: { user: string } }>("/api/users/:user/feedback", { schema: FEEDBACK_SCHEMA }, (request) =>
    listenersOf(context).list(request.params.user),
  );

  app.post<{ Params: { user: string }; Body: { artist?: string; track?: string; item?: string } }>(
    "/api/users/:user/bans",
    { schema: BAN_SCHEMA, preHandler: context.writes.requireToken },
    (request) => listenersOf(context).changeBan(request.params.user, targetOf(request.body ?? {}), true),
  );

  app.delete<{ Params: { user: string }; Querystring: { artist?: string; track?: string; item?: string } }>(
    "/api/users/:user/bans",
    { schema: UNBAN_SCHEMA, preHandler: context.writes.requireToken },
    (request) => listenersOf(context).changeBan(request.params.user, targetOf(request.query), false),
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
      load: {
        queued: scoring.queued,
        served: scoring.served,
        refused: scoring.refused,
        averageJobMs: scoring.averageJobMs,
        maxWaitMs: scoring.maxWaitMs,
        scoringThreads: scoringThreadCount(models.current),
      },
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
