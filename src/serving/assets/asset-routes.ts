import type { FastifyInstance } from "fastify";
import { ASSET_PATHS } from "./asset-paths.js";
import { CLIENT_SCRIPT } from "./client-script.js";
import { ICON_SVG } from "./icon.js";
import { STYLES } from "./styles.js";

const ASSETS: { path: string; type: string; body: string }[] = [
  { path: ASSET_PATHS.styles, type: "text/css; charset=utf-8", body: STYLES },
  { path: ASSET_PATHS.script, type: "text/javascript; charset=utf-8", body: CLIENT_SCRIPT },
  { path: ASSET_PATHS.icon, type: "image/svg+xml", body: ICON_SVG },
];

/** Serves the stylesheet, client script and icon from memory; versioned names allow long caching. */
export function registerAssetRoutes(app: FastifyInstance): void {
  for (const asset of ASSETS) {
    app.get(asset.path, { schema: { hide: true } }, (_request, reply) =>
      reply.type(asset.type).header("cache-control", "public, max-age=86400").send(asset.body),
    );
  }
  app.get("/favicon.ico", { schema: { hide: true } }, (_request, reply) => reply.redirect(ASSET_PATHS.icon, 301));
}
