/**
 * "Try your own history": a multipart upload is written to a private temp directory, checked
 * against the size and line limits, parsed by the importer's readers (in memory, never into the
 * store) and folded into every model. It is added to the store only when the form asks for it,
 * which is a write: the form's CSRF token (and the server's token when it has one) must check out
 * (write-access.ts).
 * Every failure is shown on the upload page with a readable message and a 4xx status.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { UserError } from "../../util/errors.js";
import { parseFormatName, type FormatName } from "../../ingest/formats.js";
import { describeRejects } from "../../ingest/rejects.js";
import type { AppContext } from "../app-context.js";
import { uploadPage, type UploadOutcome } from "../pages/upload-page.js";
import { formatBytes } from "../../util/format-bytes.js";
import type { UploadLimits } from "../upload-limits.js";
import { CSRF_FIELD, isCrossSite, TOKEN_FIELD } from "../write-access.js";
import { sendPage } from "./page-routes.js";

interface UploadForm {
  file: string | null;
  fileName: string;
  format?: FormatName;
  user?: string;
  store: boolean;
  csrf?: string;
  token?: string;
}

/** Options of the fold-in shown after an upload. */
const UPLOAD_RECOMMEND = { k: 10, perArtist: 0, newArtistsOnly: false } as const;

export function registerUploadRoutes(app: FastifyInstance, context: AppContext, limits: UploadLimits): void {
  const render = (reply: FastifyReply, outcome: UploadOutcome | null, error: string | null, listeners: string[] = []) =>
    sendPage(reply, context, {
      title: "Try your own history",
      section: "upload",
      body: uploadPage(outcome, error, limits, context.writes.formFields(), listeners),
    });

  app.get("/upload", { schema: { hide: true } }, (_request, reply) => render(reply, null, null));

  app.post("/upload", { schema: { hide: true } }, async (request, reply) => {
    if (isCrossSite(request)) {
      // Another site's form could otherwise make a visitor's browser add files to this store.
      return render(reply.code(403), null, "uploads are accepted only from this site's own upload page");
    }
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "musicrec-upload-"));
    try {
      const form = await receiveForm(request, dir, limits);
      if (form.store) context.writes.checkForm(request, { csrf: form.csrf, token: form.token });
      if (!form.file) throw new UserError("choose a file to upload", 400);
      await checkLineLimit(form.file, limits);
      const parsed = await readUpload(context, form);
      if (parsed.users.length > 1) {
        // Several people's histories are never merged into one: the upload must name whose it is.
        const shown = parsed.users.slice(0, 5).join(", ") + (parsed.users.length > 5 ? ", …" : "");
        const message = `${form.fileName} holds the histories of ${parsed.users.length.toLocaleString("en")} listeners (${shown}): choose whose to use (the "user" field) and upload it again`;
        return render(reply.code(422), null, message, parsed.users);
      }
      if (parsed.rows.length === 0) {
        throw new UserError(`no plays found in ${form.fileName} (read as ${parsed.format}: ${describeRejects(parsed.rejected)})`, 422);
      }
      const service = context.service;
      const foldIn = await context.scoring.run(() => service.forRows(parsed.rows, service.modelNames, UPLOAD_RECOMMEND));
      const stored = form.store ? await context.dataset.importHistory(form.file, { format: parsed.format, user: form.user }) : null;
      const plays = parsed.rows.reduce((sum, row) => sum + row.plays, 0);
      const outcome: UploadOutcome = {
        fileName: form.fileName,
        format: parsed.format,
        rows: parsed.rows.length,
        plays,
        rejected: parsed.rejected,
        foldIn,
        columns: foldIn.results.map(({ model, items }) => ({ model: service.info(model), items })),
        stored,
      };
      return render(reply, outcome, null);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return render(reply.code(error.status), null, error.message);
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true });
    }
  });
}

/** Reads the multipart fields and streams the file into `dir` (the file part may come first). */
async function receiveForm(request: FastifyRequest, dir: string, limits: UploadLimits): Promise<UploadForm> {
  const form: UploadForm = { file: null, fileName: "", store: false };
  try {
    for await (const part of request.parts()) {
      if (part.type === "file") {
        if (part.fieldname !== "history" || !part.filename) {
          part.file.resume();
          continue;
        }
        form.fileName = path.basename(part.filename);
        form.file = path.join(dir, safeFileName(part.filename));
        await pipeline(part.file, fs.createWriteStream(form.file));
      } else {
        const value = String(part.value ?? "").trim();
        if (part.fieldname === "format" && value) form.format = parseFormatName(value);
        if (part.fieldname === "user" && value) form.user = value;
        if (part.fieldname === "store") form.store = value === "yes";
        if (part.fieldname === CSRF_FIELD) form.csrf = value;
        if (part.fieldname === TOKEN_FIELD) form.token = value;
      }
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) throw new UserError(`the file is larger than the ${formatBytes(limits.bytes)} limit; upload a shorter export`, 413);
    if (typeof status === "number" && status < 500) throw new UserError(`the upload could not be received: ${(error as Error).message}`, 400);
    throw error;
  }
  return form;
}

/** Keeps the extension and a readable stem (format detection and lastfm-export user names use them). */
function safeFileName(name: string): string {
  const cleaned = path.basename(name).replace(/[^\p{L}\p{N}._ -]/gu, "_").replace(/^\.+/, "");
  return cleaned.slice(-120) || "upload";
}

async function checkLineLimit(file: string, limits: UploadLimits): Promise<void> {
  let lines = 0;
  for await (const chunk of fs.createReadStream(file)) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
  }
  if (lines > limits.lines) {
    throw new UserError(`the file has ${lines.toLocaleString("en")} lines, more than the limit of ${limits.lines.toLocaleString("en")}; upload a shorter export (e.g. the last year)`, 413);
  }
}

/** Parses the upload; anything the parser chokes on is the file's fault, reported as 422. */
async function readUpload(context: AppContext, form: UploadForm) {
  try {
    return await context.readHistory(form.file as string, { format: form.format, user: form.user });
  } catch (error) {
    if (error instanceof UserError) {
      // The importer's messages name the temp file and the CLI flag; say it in the page's terms.
      const message = error.message
        .replaceAll(form.file as string, form.fileName)
        .replace("use --format", "choose the format below")
        .replace(/--user (.*?) is not one of/, 'the listener "$1" is not one of')
        .replace(" or import the file without --user", "");
      throw new UserError(message, 422);
    }
    const reason = (error instanceof Error ? error.message.split("\n")[0] : String(error)).replaceAll(form.file as string, form.fileName);
    throw new UserError(`${form.fileName} could not be read as a listening history: ${reason}`, 422);
  }
}
