/** Server-rendered HTML pages (the upload page lives in upload-routes.ts). */
import type { FastifyInstance, FastifyReply } from "fastify";
import { UserError } from "../../util/errors.js";
import { DEFAULT_RADIO_K, K_PARAM, MAX_K } from "../api-schemas.js";
import { MAX_SEEDS, type RadioView } from "../../service/radio.js";
import { OverloadedError } from "../scoring-queue.js";
import type { AppContext } from "../app-context.js";
import { userPageUrl } from "../page-urls.js";
import { renderPage, type PageFrame } from "../pages/layout.js";
import { didYouMeanPage } from "../pages/did-you-mean-page.js";
import { homePage } from "../pages/home-page.js";
import { insightsPage } from "../pages/insights-page.js";
import { PLAYED_CHOICES, pageQuery, recommendationsPage, type PlayedChoice } from "../pages/recommendations-page.js";
import { listenerQuery } from "./api-routes.js";
import { similarPage } from "../pages/similar-page.js";
import { radioPage } from "../pages/radio-page.js";

const RECOMMENDATIONS_PAGE_SCHEMA = {
  hide: true,
  querystring: {
    type: "object",
    required: ["user"],
    properties: {
      user: { type: "string", minLength: 1, maxLength: 500 },
      k: K_PARAM,
      perArtist: { type: "integer", minimum: 0, maximum: MAX_K, default: 0 },
      newArtistsOnly: { type: "boolean", default: false },
      dial: { type: "string", enum: ["on"] },
      discovery: { type: "number", minimum: 0, maximum: 1 },
      played: { type: "string", enum: PLAYED_CHOICES.map((c) => c.value) },
      libraryOnly: { type: "boolean", default: false },
    },
  },
} as const;

interface RecommendationsPageQuery {
  user: string;
  k: number;
  perArtist: number;
  /** Older links' "only new artists" (the dial at 1). */
  newArtistsOnly: boolean;
  /** The dial is on (its slider is sent only then; alone it starts at the middle). */
  dial?: "on";
  discovery?: number;
  played?: PlayedChoice;
  libraryOnly: boolean;
}

const SIMILAR_PAGE_SCHEMA = {
  hide: true,
  querystring: { type: "object", required: ["item"], properties: { item: { type: "string", minLength: 1, maxLength: 1000 }, k: K_PARAM } },
} as const;

const RADIO_PAGE_SCHEMA = {
  hide: true,
  querystring: {
    type: "object",
    properties: {
      // Empty fields of the form (the spare seed field, no listener) are ignored.
      seed: { anyOf: [{ type: "string", maxLength: 1000 }, { type: "array", items: { type: "string", maxLength: 1000 }, maxItems: MAX_SEEDS + 1 }] },
      user: { type: "string", maxLength: 500, default: "" },
      model: { type: "string", maxLength: 64 },
      k: { ...K_PARAM, default: DEFAULT_RADIO_K },
      dial: { type: "string", enum: ["on"] },
      discovery: { type: "number", minimum: 0, maximum: 1 },
      libraryOnly: { type: "boolean", default: false },
    },
  },
} as const;

interface RadioPageQuery {
  seed?: string | string[];
  user: string;
  model?: string;
  k: number;
  /** The familiar ↔ new dial is on (its slider is sent only then). */
  dial?: "on";
  discovery?: number;
  libraryOnly: boolean;
}

export function sendPage(reply: FastifyReply, context: AppContext, frame: Omit<PageFrame, "synthetic">): FastifyReply {
  return reply
    .type("text/html; charset=utf-8")
    .send(renderPage({ ...frame, synthetic: context.service.bundle.synthetic, syntheticReason: context.syntheticReason }));
}

export function registerPageRoutes(app: FastifyInstance, context: AppContext): void {
  app.get("/", { schema: { hide: true } }, (_request, reply) => {
    const { service, exampleUsers } = context.models.current;
    return sendPage(reply, context, {
      title: "Recommendations",
      section: "home",
      body: homePage({
        users: service.training.userNames.length,
        items: service.training.catalog.keys.length,
        level: service.training.catalog.level,
        models: service.modelNames.map((name) => service.info(name)),
        exampleUsers,
      }),
    });
  });

  app.get<{ Querystring: RecommendationsPageQuery }>(
    "/recommendations",
    { schema: RECOMMENDATIONS_PAGE_SCHEMA },
    async (request, reply) => {
      // One bundle for the whole request, even if a swap happens while the profile is read.
      const { service, users, pageModels } = context.models.current;
      const { user, k, perArtist, libraryOnly } = request.query;
      if (!service.hasUser(user)) {
        if (await context.dataset.profile(user)) {
          throw new UserError(
            `"${user}" is in the store but not in the trained models: too few plays for the k-core filter, or imported after the last \`musicrec train\``,
            404,
          );
        }
        // A name typed without choosing from the picker: one match is surely meant, several are offered.
        const matches = users.search(user, 12);
        if (matches.total === 0) throw new UserError(`unknown user "${user}"`, 404);
        if (matches.total === 1) return reply.redirect(userPageUrl(matches.users[0].name));
        return sendPage(reply.code(404), context, { title: "Which listener?", section: "home", body: didYouMeanPage(user, matches) });
      }
      const discovery = request.query.newArtistsOnly ? 1 : request.query.dial === "on" ? (request.query.discovery ?? 0.5) : null;
      const played = request.query.played ?? "";
      const options = {
        k,
        perArtist,
        newArtistsOnly: false,
        libraryOnly,
        ...(discovery !== null && { discovery }),
        includePlayed: played !== "",
        ...(played !== "" && played !== "all" && { notHeardWithin: played }),
      };
      await context.listeners?.opinions.fresh();
      const { query, context: listener } = await listenerQuery(context.listeners, user, options, service.defaultModel);
      const results = await context.scoring.run(() =>
        pageModels.map((model) => ({ model: service.info(model), items: service.forUser(user, { ...query, model }, listener) })),
      );
      const profile = await context.dataset.profile(user);
      const shown = { user, k, onePerArtist: perArtist === 1, discovery, played, libraryOnly };
      const write = context.writes.formFields();
      const banForm = context.listeners && write.csrf !== null ? { user, csrf: write.csrf, back: `/recommendations?${pageQuery(shown)}` } : null;
      const banned = banForm && context.listeners ? (await context.listeners.list(user)).banned : [];
      return sendPage(reply, context, {
        title: `Recommendations for ${user}`,
        section: "home",
        body: recommendationsPage({
          ...shown,
          datedPlays: service.training.lastPlayed !== undefined,
          libraryFiles: service.library?.files.length ?? 0,
          defaultModel: service.defaultModel,
          results,
          profile,
          banForm,
          banned,
        }),
      });
    },
  );

  app.get<{ Querystring: { item: string; k: number } }>("/similar", { schema: SIMILAR_PAGE_SCHEMA }, async (request, reply) => {
    const { service, pageModels } = context.models.current;
    const item = service.itemView(request.query.item);
    const results = await context.scoring.run(() =>
      pageModels.map((model) => ({ model: service.info(model), items: service.similar(item.key, model, request.query.k) })),
    );
    return sendPage(reply, context, { title: `Similar to ${item.label}`, section: "none", body: similarPage({ item, results }) });
  });

  app.get<{ Querystring: RadioPageQuery }>("/radio", { schema: RADIO_PAGE_SCHEMA }, async (request, reply) => {
    const { service } = context.models.current;
    const { k, libraryOnly } = request.query;
    const user = request.query.user.trim();
    const seeds = (typeof request.query.seed === "string" ? [request.query.seed] : (request.query.seed ?? [])).map((s) => s.trim()).filter((s) => s !== "");
    const model = request.query.model || service.defaultModel;
    const discovery = request.query.dial === "on" ? (request.query.discovery ?? 0.5) : null;
    let radio: RadioView | null = null;
    let error: string | null = null;
    if (seeds.length > 0) {
      try {
        // A listener's latest bans (made in another tab or by the CLI) hold at once.
        if (user) await context.listeners?.opinions.fresh();
        const query = { seeds, user: user || null, model, k, perArtist: 0, libraryOnly, ...(discovery !== null && { discovery }) };
        radio = await context.scoring.run(() => service.radio(query));
      } catch (problem) {
        // Overload is the error page's (503 with Retry-After); a bad seed is shown on the form.
        if (!(problem instanceof UserError) || problem instanceof OverloadedError) throw problem;
        error = problem.message;
        reply.code(problem.status);
      }
    }
    const title = radio ? `Radio from ${radio.seeds.map((s) => s.label).join(", ")}` : "Radio";
    return sendPage(reply, context, {
      title,
      section: "radio",
      body: radioPage({
        seeds,
        user,
        k,
        model,
        models: service.modelNames.map((name) => service.info(name)),
        libraryOnly,
        discovery,
        libraryFiles: service.library?.files.length ?? 0,
        radio,
        error,
      }),
    });
  });

  app.get("/insights", { schema: { hide: true } }, async (_request, reply) =>
    sendPage(reply, context, { title: "Insights", section: "insights", body: insightsPage(await context.dataset.insights()) }),
  );
}
