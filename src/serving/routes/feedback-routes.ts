/**
 * The web app's ban and unban forms (pages/ban-forms.ts): urlencoded same-origin POSTs checked by
 * write-access.ts (CSRF token, Fetch Metadata, and the server's token when it has one — asked for
 * on a confirmation page), then a 303 back to the page they came from, which already honours it.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { UserError } from "../../util/errors.js";
import type { AppContext } from "../app-context.js";
import { BAN_PATH, UNBAN_PATH, confirmBanPage } from "../pages/ban-forms.js";
import { CSRF_FIELD, TOKEN_FIELD } from "../write-access.js";
import { sendPage } from "./page-routes.js";
import type { TargetName } from "../../service/opinion-changes.js";
import { KEY_SEPARATOR } from "../../data/item-key.js";

/** Largest ban form body (a few short fields). */
const FORM_BODY_LIMIT = 16 * 1024;

type FormBody = Record<string, string>;

const FORM_SCHEMA = {
  hide: true,
  body: {
    type: "object",
    required: ["user"],
    properties: {
      user: { type: "string", minLength: 1, maxLength: 500 },
      item: { type: "string", minLength: 1, maxLength: 1000 },
      artist: { type: "string", minLength: 1, maxLength: 1000 },
      scope: { type: "string", enum: ["item", "artist"] },
      back: { type: "string", maxLength: 4000 },
      [CSRF_FIELD]: { type: "string", maxLength: 200 },
      [TOKEN_FIELD]: { type: "string", maxLength: 500 },
    },
  },
} as const;

/** Only a page of this server (a path), never another site: the form's `back` is echoed into a redirect. */
function backUrl(body: FormBody): string {
  const back = body.back ?? "";
  return back.startsWith("/") && !back.startsWith("//") && !back.includes("\\") ? back : "/";
}

/** An item's artist is banned by its item key: the part before the key separator. */
function targetOf(body: FormBody): TargetName {
  if (body.artist) return { artist: body.artist };
  if (!body.item) throw new UserError("the form names nothing to ban", 400);
  if (body.scope === "artist") return { item: body.item.split(KEY_SEPARATOR)[0] };
  return { item: body.item };
}

export function registerFeedbackRoutes(app: FastifyInstance, context: AppContext): void {
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string", bodyLimit: FORM_BODY_LIMIT }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  for (const [path, ban] of [[BAN_PATH, true], [UNBAN_PATH, false]] as const) {
    app.post<{ Body: FormBody }>(path, { schema: FORM_SCHEMA }, async (request: FastifyRequest<{ Body: FormBody }>, reply) => {
      const body = request.body;
      try {
        context.writes.checkForm(request, { csrf: body[CSRF_FIELD], token: body[TOKEN_FIELD] });
      } catch (error) {
        // A server with a write token: ask for it, then send the same form again.
        if (error instanceof UserError && error.status === 401 && !body[TOKEN_FIELD]) {
          return sendPage(reply.code(401), context, { title: "Confirm", section: "home", body: confirmBanPage(path, body, null) });
        }
        if (error instanceof UserError && error.message === "wrong write token") {
          return sendPage(reply.code(403), context, { title: "Confirm", section: "home", body: confirmBanPage(path, body, "Wrong write token; try again.") });
        }
        throw error;
      }
      if (!context.listeners) throw new UserError("this server has no store to keep bans in", 409);
      await context.listeners.changeBan(body.user, targetOf(body), ban);
      return reply.redirect(backUrl(body), 303);
    });
  }
}
