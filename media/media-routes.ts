import type { RouteRegistrar } from "../services/http/route-registrar.js";
import type { IndexerProgress, RootStatus } from "./indexer/indexer-types.js";
import type { LibraryCounts } from "./library/library-types.js";
import { libraryPage } from "./library-page.js";

export interface MediaSummary {
  counts: LibraryCounts | undefined;
  progress: IndexerProgress | undefined;
  roots: RootStatus[];
  thumbnails: { queued: number; made: number; failed: number } | undefined;
  systemUpdateId: number | undefined;
}

/**
 * The media service's JSON API (behind the dashboard login, also reached by `hearth scan` through
 * the control socket) and its dashboard page.
 * - POST /api/media/scan {"full": bool} → 202: starts a scan (changed files, or all with full)
 * - GET  /api/media/scan → the scan's progress
 * - GET  /api/media/summary → counts, progress, per-root watch state and problems
 * - GET  /api/media/library → the dashboard page
 */
export function mediaRoutes(
  http: RouteRegistrar,
  media: {
    friendlyName: string;
    scan(full: boolean): void;
    progress(): IndexerProgress | undefined;
    summary(): Promise<MediaSummary>;
  },
): void {
  http.route("POST", "/scan", (request, reply) => {
    const body = request.body as { full?: unknown } | undefined;
    if (body !== undefined && body !== null && typeof body !== "object") {
      return reply.code(400).send({ error: 'send {"full": true} or {"full": false}' });
    }
    media.scan(body?.full === true);
    return reply.code(202).send({ started: true });
  });
  http.route("GET", "/scan", (_request, reply) => reply.send(media.progress()));
  http.route("GET", "/summary", async (_request, reply) => reply.send(await media.summary()));
  http.route("GET", "/library", async (_request, reply) =>
    reply
      .type("text/html; charset=utf-8")
      .send(libraryPage(media.friendlyName, await media.summary())),
  );
  http.page({ title: "Library", path: "library" });
}
