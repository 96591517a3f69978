/** JSON schemas of the API: validation (400 naming the parameter) and the OpenAPI document. */
import { MODEL_NAMES } from "../models/recommender.js";
import { PLAYLIST_FORMATS } from "../playlists/formats.js";
import { MAX_SEEDS, RADIO_ARTIST_CAP } from "../service/radio.js";

export const ITEM_VIEW_SCHEMA = {
  type: "object",
  required: ["key", "artist", "track", "album", "label"],
  properties: {
    key: { type: "string", description: "Item key: the address of the item in URLs (percent-encode it)" },
    artist: { type: "string" },
    track: { type: ["string", "null"] },
    album: { type: ["string", "null"] },
    label: { type: "string", description: "Artist – Track, or Artist for artist-level items" },
  },
} as const;

/** An item and its score (similar items, a radio's items). */
const SCORED_ITEM_SCHEMA = {
  type: "object",
  required: ["item", "score"],
  properties: { item: ITEM_VIEW_SCHEMA, score: { type: "number" } },
} as const;

export const REASON_VIEW_SCHEMA = {
  type: "object",
  required: ["key", "label"],
  properties: { key: { type: "string" }, label: { type: "string" } },
} as const;

export const MAX_K = 100;
export const DEFAULT_K = 10;
/** Rows accepted in a POSTed history (the upload page has its own, file-based limits). */
export const MAX_POSTED_ROWS = 20_000;
/** Bytes of a POSTed JSON history. */
export const MAX_JSON_BODY_BYTES = 2 * 1024 * 1024;

const ERROR_SCHEMA = {
  type: "object",
  required: ["error", "statusCode"],
  properties: {
    error: { type: "string" },
    statusCode: { type: "integer" },
    parameter: { type: "string", description: "The invalid parameter (400 only)" },
  },
} as const;

const MODEL_PARAM = {
  type: "string",
  pattern: "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$",
  description: `Model: one of the trained ${MODEL_NAMES.join(", ")}, or the name a model was imported under (\`musicrec import-model\`); /api/health lists the bundle's. Defaults to hybrid (or the first trained model when hybrid was not trained)`,
} as const;
export const K_PARAM = { type: "integer", minimum: 1, maximum: MAX_K, default: DEFAULT_K, description: "Number of items" } as const;

export const RECOMMEND_OPTIONS = {
  k: K_PARAM,
  perArtist: { type: "integer", minimum: 0, maximum: MAX_K, default: 0, description: "At most this many items per artist (0 = no limit)" },
  newArtistsOnly: { type: "boolean", default: false, description: "Only artists the listener never played" },
  libraryOnly: { type: "boolean", default: false, description: "Only items of the local library (`musicrec library scan`); 400 when it is empty" },
  discovery: {
    type: "number",
    minimum: 0,
    maximum: 1,
    description:
      "Familiar ↔ new dial: 0 = only unplayed tracks of artists the listener played, 1 = only artists they never played (as newArtistsOnly), " +
      "between: round(discovery·k) places go to new artists and the rest to familiar ones (a pool that runs short leaves its places to the other). " +
      "At artist level, familiar means the artists played themselves. Absent: rank by score alone",
  },
  includePlayed: { type: "boolean", default: false, description: "Also suggest items the listener already played" },
} as const;

/** A duration such as 30d, 12h or 90m (parsed like the CLI's --not-heard-within). */
export const DURATION_PATTERN = "^(\\d+(\\.\\d+)?(ms|s|m|h|d))+$";

/** Options of a known listener's recommendations (on top of RECOMMEND_OPTIONS). */
export const LISTENER_OPTIONS = {
  notHeardWithin: {
    type: "string",
    pattern: DURATION_PATTERN,
    description: "Leave out items the listener played within this time, e.g. `30d` (by the store's play dates, so also plays after the last training; undated plays are not recent)",
  },
} as const;

const RECOMMENDATION_SCHEMA = {
  type: "object",
  required: ["item", "score", "because"],
  properties: {
    item: ITEM_VIEW_SCHEMA,
    score: { type: "number" },
    because: { type: "array", items: REASON_VIEW_SCHEMA, description: "The listener's items that contributed most (key and label)" },
  },
} as const;

/** The query string of the search-as-you-type endpoints (users, radio seeds). */
const NAME_SEARCH_QUERYSTRING = {
  type: "object",
  properties: {
    query: { type: "string", maxLength: 200, default: "" },
    limit: { type: "integer", minimum: 1, maximum: 100, default: 20 },
  },
} as const;

export const USERS_SCHEMA = {
  tags: ["users"],
  summary: "Search users by name (prefix matches first, then substrings; case-insensitive)",
  querystring: NAME_SEARCH_QUERYSTRING,
  response: {
    200: {
      type: "object",
      required: ["users", "total"],
      properties: {
        users: {
          type: "array",
          items: { type: "object", required: ["name", "items"], properties: { name: { type: "string" }, items: { type: "integer" } } },
        },
        total: { type: "integer", description: "All matches; at most `limit` are listed" },
      },
    },
    400: ERROR_SCHEMA,
  },
} as const;

export const USER_RECOMMENDATIONS_SCHEMA = {
  tags: ["recommendations"],
  summary: "Recommendations for a user of the store",
  params: { type: "object", required: ["user"], properties: { user: { type: "string", description: "User name" } } },
  description: "Never includes what the listener banned (`musicrec feedback`, `POST /api/users/{user}/bans`, the web app's buttons); tracks they loved count as plays.",
  querystring: { type: "object", properties: { model: MODEL_PARAM, ...RECOMMEND_OPTIONS, ...LISTENER_OPTIONS } },
  response: {
    200: {
      type: "object",
      required: ["user", "model", "k", "perArtist", "newArtistsOnly", "items"],
      properties: {
        user: { type: "string" },
        model: { type: "string" },
        k: { type: "integer" },
        perArtist: { type: "integer" },
        newArtistsOnly: { type: "boolean" },
        libraryOnly: { type: "boolean" },
        discovery: { type: "number" },
        includePlayed: { type: "boolean" },
        notHeardWithinMs: { type: "integer" },
        items: { type: "array", items: RECOMMENDATION_SCHEMA },
      },
    },
    400: ERROR_SCHEMA,
    404: ERROR_SCHEMA,
  },
} as const;

export const SIMILAR_SCHEMA = {
  tags: ["recommendations"],
  summary: "Items similar to an item",
  params: {
    type: "object",
    required: ["item"],
    properties: { item: { type: "string", description: "Item key, percent-encoded (see the API description)" } },
  },
  querystring: { type: "object", properties: { model: MODEL_PARAM, k: K_PARAM } },
  response: {
    200: {
      type: "object",
      required: ["item", "model", "items"],
      properties: {
        item: ITEM_VIEW_SCHEMA,
        model: { type: "string" },
        items: {
          type: "array",
          items: SCORED_ITEM_SCHEMA,
        },
      },
    },
    400: ERROR_SCHEMA,
    404: ERROR_SCHEMA,
  },
} as const;

export const POST_RECOMMENDATIONS_SCHEMA = {
  tags: ["recommendations"],
  summary: "Recommendations for a listening history sent in the body (fold-in, no retraining, nothing stored)",
  description:
    "The body is a JSON list of plays, e.g. `[{\"artist\":\"Radiohead\",\"track\":\"Creep\",\"plays\":12}]`. " +
    "Rows are matched to catalogue items by normalised artist (and track for track-level models); unmatched rows are counted.",
  querystring: {
    type: "object",
    properties: { model: { ...MODEL_PARAM, description: "Only this model (default: every trained model)" }, ...RECOMMEND_OPTIONS },
  },
  body: {
    type: "array",
    minItems: 1,
    maxItems: MAX_POSTED_ROWS,
    items: {
      type: "object",
      required: ["artist"],
      additionalProperties: false,
      properties: {
        artist: { type: "string", minLength: 1, maxLength: 500 },
        track: { type: ["string", "null"], maxLength: 500 },
        album: { type: ["string", "null"], maxLength: 500 },
        plays: { type: "number", exclusiveMinimum: 0, default: 1 },
      },
    },
  },
  response: {
    200: {
      type: "object",
      required: ["matched", "unmatched", "results"],
      properties: {
        matched: { type: "integer", description: "Distinct catalogue items the history matched" },
        unmatched: { type: "integer", description: "Rows that matched no catalogue item" },
        results: {
          type: "array",
          items: {
            type: "object",
            required: ["model", "items"],
            properties: { model: { type: "string" }, items: { type: "array", items: RECOMMENDATION_SCHEMA } },
          },
        },
      },
    },
    400: ERROR_SCHEMA,
    413: ERROR_SCHEMA,
  },
} as const;

const NULLABLE_STRING = { type: "string", nullable: true } as const;

export const HEALTH_SCHEMA = {
  tags: ["service"],
  summary: "Liveness and what is loaded",
  description:
    "The bundle being served (id, when trained, loaded and last swapped), the refresh, whether the server takes writes, and its load. " +
    "Answered even when the server is overloaded.",
  response: {
    200: {
      type: "object",
      required: ["status", "users", "items", "level", "models", "trainedAt", "synthetic", "cache", "bundle", "refresh", "writes"],
      properties: {
        status: { type: "string", enum: ["ok"] },
        users: { type: "integer" },
        items: { type: "integer" },
        level: { type: "string", enum: ["track", "artist"] },
        models: { type: "array", items: { type: "string" } },
        trainedAt: { type: "string" },
        synthetic: { type: "boolean" },
        cache: {
          type: "object",
          required: ["entries", "warmedUsers"],
          properties: {
            entries: { type: "integer", description: "Cached recommendation responses" },
            warmedUsers: { type: "integer", description: "Users whose default recommendations were precomputed (0 while warming, again after a swap)" },
          },
        },
        bundle: {
          type: "object",
          required: ["id", "trainedAt", "loadedAt", "swappedAt", "swaps", "lastError"],
          properties: {
            id: { ...NULLABLE_STRING, description: "The bundle's version folder, e.g. v20260101T120000000Z-1234" },
            trainedAt: { type: "string" },
            loadedAt: { type: "string", description: "When the server loaded it" },
            swappedAt: { ...NULLABLE_STRING, description: "When the server last switched to a newly saved bundle (null: not since it started)" },
            swaps: { type: "integer" },
            lastError: {
              type: "object",
              nullable: true,
              description: "A newly saved bundle that failed to load (the previous one kept serving)",
              properties: { id: { type: "string" }, message: { type: "string" }, at: { type: "string" } },
            },
          },
        },
        refresh: {
          type: "object",
          nullable: true,
          description: "The scheduled or requested refresh (sync and retrain); null when the server cannot refresh",
          properties: {
            running: { type: "object", nullable: true, properties: { startedAt: { type: "string" }, step: NULLABLE_STRING } },
            last: {
              type: "object",
              nullable: true,
              properties: { startedAt: { type: "string" }, finishedAt: { type: "string" }, ok: { type: "boolean" }, message: { type: "string" } },
            },
            nextAt: NULLABLE_STRING,
          },
        },
        writes: {
          type: "object",
          properties: { enabled: { type: "boolean" }, tokenRequired: { type: "boolean" } },
        },
        load: {
          type: "object",
          description: "Model work of uncached requests: waiting now, done and refused (503, overload) since start",
          properties: {
            queued: { type: "integer" },
            served: { type: "integer" },
            refused: { type: "integer" },
            averageJobMs: { type: "number", description: "Recent average time of one request's model work" },
            maxWaitMs: { type: "number", description: "Requests that would wait longer are refused with 503 and Retry-After" },
            scoringThreads: { type: "integer", description: "Worker threads scoring recommendation requests (0: the main thread scores)" },
          },
        },
      },
    },
  },
} as const;

/** What every playlist download takes and answers. */
const PLAYLIST_FILE_OPTIONS = {
  format: { type: "string", enum: [...PLAYLIST_FORMATS] },
  allTracks: { type: "boolean", default: false, description: "JSPF: also tracks without a MusicBrainz recording id" },
} as const;
const PLAYLIST_FILE_RESPONSE = {
  200: { type: "string", description: "The playlist file" },
  400: ERROR_SCHEMA,
  404: ERROR_SCHEMA,
} as const;

export const PLAYLIST_SCHEMA = {
  tags: ["recommendations"],
  summary: "A user's recommendations as a playlist file to download",
  description:
    "`jspf`: ListenBrainz's JSON playlist (only tracks with a MusicBrainz recording id, so ListenBrainz accepts it, unless `allTracks`); " +
    "`xspf`: XML for players (every track; local files as `location`); `m3u8`: the local library files of the recommended tracks " +
    "(tracks not in the library are left out). The response is an attachment (Content-Disposition) with a safe file name; " +
    "the X-Playlist-Tracks and X-Playlist-Left-Out headers count the tracks written and left out.",
  params: { type: "object", required: ["user"], properties: { user: { type: "string", description: "User name" } } },
  querystring: {
    type: "object",
    required: ["format"],
    properties: {
      ...PLAYLIST_FILE_OPTIONS,
      model: MODEL_PARAM,
      ...RECOMMEND_OPTIONS,
      ...LISTENER_OPTIONS,
      k: { ...K_PARAM, default: 50 },
    },
  },
  response: PLAYLIST_FILE_RESPONSE,
} as const;

export const REFRESH_SCHEMA = {
  tags: ["service"],
  summary: "Sync the remembered sources and retrain, in the background (needs the token)",
  description:
    "Starts `musicrec sync` (every remembered source) and `musicrec train` with the current bundle's options in child processes; " +
    "the server switches to the new bundle when it is saved. 202 when started, 409 with the running refresh's start time otherwise. " +
    "Needs `Authorization: Bearer <token>` (401 without, 403 with a wrong one or on a server without a token).",
  security: [{ bearerAuth: [] }],
  response: {
    202: { type: "object", properties: { status: { type: "string", enum: ["started"] }, startedAt: { type: "string" } } },
    409: { type: "object", properties: { error: { type: "string" }, statusCode: { type: "integer" }, startedAt: { type: "string" } } },
  },
} as const;

const USER_PARAMS = { type: "object", required: ["user"], properties: { user: { type: "string", description: "User name" } } } as const;

const TARGET_PROPERTIES = {
  artist: { type: "string", minLength: 1, maxLength: 500, description: "An artist's name" },
  track: { type: "string", minLength: 1, maxLength: 1000, description: "A track as \"Artist - Track\"" },
  item: { type: "string", minLength: 1, maxLength: 1000, description: "An item key, as recommendations return it (`item.key`)" },
} as const;

const OPINION_ENTRY_SCHEMA = {
  type: "object",
  required: ["target", "key", "label", "source", "createdAt"],
  properties: {
    target: { type: "string", enum: ["artist", "track"] },
    key: { type: "string" },
    label: { type: "string" },
    source: { type: "string", description: "musicrec (CLI, API, web app) or listenbrainz (imported feedback)" },
    createdAt: { type: "string", nullable: true },
  },
} as const;

const BAN_CHANGE_SCHEMA = {
  type: "object",
  required: ["user", "action", "target", "key", "label"],
  properties: {
    user: { type: "string" },
    action: { type: "string", enum: ["banned", "unbanned"] },
    target: { type: "string", enum: ["artist", "track"] },
    key: { type: "string" },
    label: { type: "string" },
  },
} as const;

const BAN_SECURITY_TEXT = "Needs `Authorization: Bearer <token>` (401 without, 403 with a wrong one or on a server started without a token).";

export const FEEDBACK_SCHEMA = {
  tags: ["feedback"],
  summary: "A listener's bans (never suggested) and loved tracks (counted as plays)",
  params: USER_PARAMS,
  response: {
    200: {
      type: "object",
      required: ["user", "banned", "loved"],
      properties: { user: { type: "string" }, banned: { type: "array", items: OPINION_ENTRY_SCHEMA }, loved: { type: "array", items: OPINION_ENTRY_SCHEMA } },
    },
    404: ERROR_SCHEMA,
  },
} as const;

export const BAN_SCHEMA = {
  tags: ["feedback"],
  summary: "Never suggest an artist or a track to a listener (needs the token)",
  description:
    "The body names exactly one of `artist`, `track` (\"Artist - Track\") or `item` (an item key). The ban is stored in the store, so it holds for " +
    `every model, playlist and radio and across retraining; the next answer already honours it. 404 with close names for an unknown one. ${BAN_SECURITY_TEXT}`,
  security: [{ bearerAuth: [] }],
  params: USER_PARAMS,
  body: { type: "object", properties: TARGET_PROPERTIES },
  response: { 200: BAN_CHANGE_SCHEMA, 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA },
} as const;

export const UNBAN_SCHEMA = {
  tags: ["feedback"],
  summary: "Suggest a banned artist or track again (needs the token)",
  description: `The query names exactly one of \`artist\`, \`track\` or \`item\`. ${BAN_SECURITY_TEXT}`,
  security: [{ bearerAuth: [] }],
  params: USER_PARAMS,
  querystring: { type: "object", properties: TARGET_PROPERTIES },
  response: { 200: BAN_CHANGE_SCHEMA, 400: ERROR_SCHEMA, 401: ERROR_SCHEMA, 403: ERROR_SCHEMA, 404: ERROR_SCHEMA },
} as const;

/** Default length of a radio (API and page; the CLI's default too). */
export const DEFAULT_RADIO_K = 30;

export const RADIO_OPTIONS = {
  seed: {
    // One seed arrives as a string, several (seed=…&seed=…) as an array.
    anyOf: [
      { type: "string", minLength: 1, maxLength: 1000 },
      // More than MAX_SEEDS: the service says so (a clearer message than the schema's anyOf).
      { type: "array", items: { type: "string", minLength: 1, maxLength: 1000 }, minItems: 1 },
    ],
    description: `"Artist - Track", "Artist" (on track-level data: the mix starts from the artist's most-listened tracks) or an item key; repeat for up to ${MAX_SEEDS} seeds`,
  },
  user: { type: "string", minLength: 1, maxLength: 500, description: "Blend in this listener's taste" },
  model: { ...MODEL_PARAM, description: "Model whose item similarities make the mix (default: hybrid when trained)" },
  k: { ...K_PARAM, default: DEFAULT_RADIO_K },
  perArtist: { type: "integer", minimum: 0, maximum: MAX_K, default: 0, description: `At most this many items per artist (0 = ${RADIO_ARTIST_CAP})` },
  libraryOnly: RECOMMEND_OPTIONS.libraryOnly,
  discovery: {
    type: "number",
    minimum: 0,
    maximum: 1,
    description:
      "With `user`, familiar ↔ new: the share of the mix by artists the listener never played, kept along the mix " +
      "(0 = only artists they played, 1 = only new ones; between, a pool that runs dry leaves its turns to the other). Absent: by score alone",
  },
  notHeardWithin: { ...LISTENER_OPTIONS.notHeardWithin, description: "With `user`: leave out items they played within this time, e.g. `30d`" },
} as const;

const SEED_VIEW_SCHEMA = {
  type: "object",
  required: ["kind", "key", "label"],
  properties: {
    kind: { type: "string", enum: ["track", "artist"], description: "A track, or an artist (an artist-level item, or all of an artist's tracks)" },
    key: { type: "string", description: "Item key of a track or artist-level item; artist key of an artist of track-level data" },
    label: { type: "string" },
  },
} as const;

export const RADIO_SCHEMA = {
  tags: ["radio"],
  summary: "A radio: an ordered mix that starts near the seeds and drifts",
  description:
    "Built from the model's item similarities (blended with the listener's taste when `user` is given): no artist twice in a row, " +
    `an artist back only after three others where the catalogue allows (on artist-level data no artist twice at all), at most \`perArtist\` items per artist (default ${RADIO_ARTIST_CAP}), one version of each song ` +
    "(\"- Remastered 2011\", \"(Live)\" and \"feat.\" variants count as one), never a seed track. Several seeds take turns. Deterministic. " +
    "With `user`, never what they banned. An unknown seed or user is a 404 suggesting close names.",
  querystring: { type: "object", required: ["seed"], properties: RADIO_OPTIONS },
  response: {
    200: {
      type: "object",
      required: ["seeds", "model", "user", "k", "perArtist", "libraryOnly", "discovery", "items"],
      properties: {
        seeds: { type: "array", items: SEED_VIEW_SCHEMA },
        model: { type: "string" },
        user: { type: ["string", "null"] },
        k: { type: "integer" },
        perArtist: { type: "integer", description: "The artist cap applied" },
        libraryOnly: { type: "boolean" },
        discovery: { type: ["number", "null"], description: "The familiar ↔ new dial applied (null: none)" },
        items: {
          type: "array",
          description: "In play order; fewer than k when no further item keeps the rules",
          items: SCORED_ITEM_SCHEMA,
        },
      },
    },
    400: ERROR_SCHEMA,
    404: ERROR_SCHEMA,
  },
} as const;

export const RADIO_PLAYLIST_SCHEMA = {
  tags: ["radio"],
  summary: "A radio as a playlist file to download",
  description: "The radio of `GET /api/radio` in a playlist format, as `GET /api/users/{user}/playlist` serves recommendations (same formats and headers).",
  querystring: {
    type: "object",
    required: ["seed", "format"],
    properties: {
      ...RADIO_OPTIONS,
      ...PLAYLIST_FILE_OPTIONS,
    },
  },
  response: PLAYLIST_FILE_RESPONSE,
} as const;

export const SEEDS_SCHEMA = {
  tags: ["radio"],
  summary: "Search what a radio seed may be: artists and (track-level data) \"Artist - Track\" names (prefix matches first, then substrings)",
  querystring: NAME_SEARCH_QUERYSTRING,
  response: {
    200: {
      type: "object",
      required: ["seeds", "total"],
      properties: {
        seeds: {
          type: "array",
          items: {
            type: "object",
            required: ["name", "kind", "listeners"],
            properties: { name: { type: "string" }, kind: { type: "string", enum: ["artist", "track"] }, listeners: { type: "integer" } },
          },
        },
        total: { type: "integer", description: "All matches; at most `limit` are listed" },
      },
    },
    400: ERROR_SCHEMA,
  },
} as const;
