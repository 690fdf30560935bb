import { readFile } from "node:fs/promises";
import type { RouteRegistrar } from "../services/http/route-registrar.js";
import type { ClientProfile, SeenClient } from "./clients/index.js";
import type { IndexerChangeSummary, IndexerProgress, RootStatus } from "./indexer/indexer-types.js";
import type { LibraryCounts } from "./library/library-types.js";
import { mediaPage } from "./media-page.js";

/** One pass that changed the library, for the Media page. */
export type RecentChange = IndexerChangeSummary & { at: string };

export interface MediaSummary {
  counts: LibraryCounts | undefined;
  progress: IndexerProgress | undefined;
  roots: RootStatus[];
  thumbnails: { queued: number; made: number; failed: number } | undefined;
  systemUpdateId: number | undefined;
  /** Newest first, at most 10. */
  recentChanges: RecentChange[];
  /** The DLNA server as players see it; absent while it is not running. */
  server: { udn: string; friendlyName: string; subscribers: number } | undefined;
  /** Control points seen since start, most recent first. */
  clients: SeenClient[];
}

/** What the routes need from the media service. */
export interface MediaRouteTarget {
  friendlyName: string;
  scan(full: boolean): void;
  progress(): IndexerProgress | undefined;
  summary(): Promise<MediaSummary>;
  profiles: readonly ClientProfile[];
  /** Pins a control point's profile (null: detect again); RangeError for an unknown profile. */
  setClientProfile(address: string, profile: string | null): Promise<void>;
}

const pageScript = new URL("./assets/media-page.js", import.meta.url);

/**
 * The media service's JSON API (behind the dashboard login, also reached by `hearth scan` through
 * the control socket) and its dashboard page.
 * - POST /api/media/scan {"full": bool} → 202: starts a scan (changed files, or all with full)
 * - GET  /api/media/scan → the scan's progress
 * - GET  /api/media/summary → counts, progress, per-root state, recent changes, server, clients
 * - GET  /api/media/clients → { clients, profiles }
 * - PUT  /api/media/clients/:address {"profile": id | null} → 204
 * - GET  /api/media/library (+ media-page.js) → the dashboard's Media page
 */
export function mediaRoutes(http: RouteRegistrar, media: MediaRouteTarget): void {
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
  http.route("GET", "/clients", async (_request, reply) =>
    reply.send({
      clients: (await media.summary()).clients,
      profiles: media.profiles.map((p) => ({ id: p.id, name: p.name, quirks: p.quirks })),
    }),
  );
  http.route("PUT", "/clients/:address", async (request, reply) => {
    const { address } = request.params as { address: string };
    const profile = (request.body as { profile?: unknown } | undefined)?.profile;
    if (profile !== null && typeof profile !== "string")
      return reply
        .code(400)
        .send({ error: 'send {"profile": "<profile id>"} or {"profile": null}' });
    try {
      await media.setClientProfile(address, profile);
    } catch (err) {
      if (err instanceof RangeError) return reply.code(400).send({ error: err.message });
      throw err;
    }
    return reply.code(204).send();
  });
  http.route("GET", "/library", async (_request, reply) =>
    reply
      .type("text/html; charset=utf-8")
      .send(mediaPage(media.friendlyName, await media.summary(), media.profiles)),
  );
  http.route("GET", "/media-page.js", async (_request, reply) =>
    reply.type("text/javascript; charset=utf-8").send(await readFile(pageScript, "utf8")),
  );
  http.page({ title: "Media", path: "library" });
}
