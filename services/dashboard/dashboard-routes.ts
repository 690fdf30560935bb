import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/**
 * The dashboard's files. Resolved from this module, so both `tsx services/…` and the compiled
 * `dist/services/…` find them (the build copies services/dashboard/public next to the .js files).
 */
export const DASHBOARD_PUBLIC_DIR = fileURLToPath(new URL("./public/", import.meta.url));

/**
 * Serves the dashboard (static HTML, CSS and ES modules; no build step, nothing from a CDN) at `/`.
 * The files are public: index.html shows the login form until /api/session says otherwise, and all
 * data comes from the session-guarded API. Only files present at start are routed (wildcard off),
 * so everything else gets the JSON 404 and no catch-all shadows a service's `/<name>/*`.
 */
export async function dashboardRoutes(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: DASHBOARD_PUBLIC_DIR,
    prefix: "/",
    wildcard: false,
    index: ["index.html"],
    // Revalidate on every load (ETag → 304): after an upgrade the browser must not mix old and new modules.
    cacheControl: true,
    maxAge: 0,
    serveDotFiles: false,
  });
}
