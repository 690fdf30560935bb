import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { FastifyReply } from "fastify";
import { describeError } from "../errors.js";
import type { RouteRegistrar } from "../http/route-registrar.js";
import { consolesPage } from "./consoles-page.js";
import type { Consoles } from "./consoles.js";

const require = createRequire(import.meta.url);

/**
 * The files the page loads, by the path it asks for (relative to /api/console/). xterm.js comes
 * from node_modules as its ES module builds (the page script is a module and imports them);
 * neither package has an "exports" map, so these subpaths resolve as plain files.
 */
const ASSETS: Record<string, { file: () => string; type: string }> = {
  "/consoles-page.js": {
    file: () => fileURLToPath(new URL("./assets/consoles-page.js", import.meta.url)),
    type: "text/javascript; charset=utf-8",
  },
  "/consoles-page.css": {
    file: () => fileURLToPath(new URL("./assets/consoles-page.css", import.meta.url)),
    type: "text/css; charset=utf-8",
  },
  "/xterm/xterm.mjs": {
    file: () => require.resolve("@xterm/xterm/lib/xterm.mjs"),
    type: "text/javascript; charset=utf-8",
  },
  "/xterm/xterm.css": {
    file: () => require.resolve("@xterm/xterm/css/xterm.css"),
    type: "text/css; charset=utf-8",
  },
  "/xterm/addon-fit.mjs": {
    file: () => require.resolve("@xterm/addon-fit/lib/addon-fit.mjs"),
    type: "text/javascript; charset=utf-8",
  },
};

/** Read once per process: they change only with an upgrade, which restarts hearth. */
const cache = new Map<string, Promise<Buffer>>();

/**
 * The dashboard's Consoles page, behind the login like the rest of /api/console/:
 * - GET /api/console/page → the page (a card per port, the terminal panel)
 * - GET /api/console/consoles-page.js, /consoles-page.css → its script and styles
 * - GET /api/console/xterm/xterm.mjs, /xterm/xterm.css, /xterm/addon-fit.mjs → xterm.js
 * Called from the service's start, after consoleRoutes (the terminal uses its attach WebSocket).
 */
export function consolePageRoutes(http: RouteRegistrar, consoles: Consoles): void {
  http.route("GET", "/page", (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(consolesPage(consoles.status())),
  );
  for (const [path, asset] of Object.entries(ASSETS)) {
    http.route("GET", path, (_request, reply) => sendAsset(reply, path, asset));
  }
  http.page({ title: "Consoles", path: "page" });
}

async function sendAsset(
  reply: FastifyReply,
  path: string,
  asset: { file: () => string; type: string },
): Promise<FastifyReply> {
  let body = cache.get(path);
  if (body === undefined) {
    body = Promise.resolve().then(() => readFile(asset.file()));
    cache.set(path, body);
  }
  try {
    return reply.type(asset.type).send(await body);
  } catch (err) {
    // Not cached as missing: a reinstall (npm ci) fixes it without a restart.
    cache.delete(path);
    return reply.code(500).send({
      error: `cannot read ${path.slice(1)}: ${describeError(err)}`,
      fix: "Reinstall hearth's dependencies (npm ci in its folder); the terminal needs @xterm/xterm and @xterm/addon-fit.",
    });
  }
}
