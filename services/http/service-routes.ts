import type {} from "@fastify/websocket";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";
import type { Logger } from "pino";
import type { WebSocket } from "ws";
import type { RouteMethod, RouteRegistrar } from "./route-registrar.js";
import { ServiceTable, type ServiceAccess, type ServicePage } from "./service-table.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Set on the open `/<service>/*` catch-alls: DLNA clients get plain responses (no dashboard headers). */
    isOpenServiceRoute?: boolean;
  }
}

/** Methods a service may register; GET is mounted separately because it also carries WebSockets. */
const NON_GET_METHODS = ["POST", "PUT", "DELETE", "PATCH", "SUBSCRIBE", "UNSUBSCRIBE", "NOTIFY"];
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,30}$/;
/** First path segments the host itself uses; a service by these names would shadow them. */
const RESERVED_NAMES = new Set(["api", "healthz", "metrics", "login", "logout", "session"]);
const RESERVED_API_NAMES = new Set(["password", "status", "events"]);

/**
 * Per-service HTTP routes on the one fastify app. fastify cannot add routes once listening, and a
 * restarted service must not serve stale handlers, so each service gets, once and before listen,
 * catch-alls `/api/<name>/*` (session) and `/<name>/*` (open) that dispatch to the service's
 * current registrations (see ServiceTable). No registrations → 503; unknown path → 404.
 *
 * The host's part: call `forService(name)` for every service before `listen()` (createHttpServer's
 * `services` option does this) and hand the registrar to the service as `ctx.http`; call
 * `reset(name)` before each start and after each stop; read `pages(name)` into ServiceStatus.pages.
 */
export class ServiceRoutes {
  readonly #app: FastifyInstance;
  readonly #log: Logger;
  readonly #tables = new Map<string, ServiceTable>();

  constructor(app: FastifyInstance, log: Logger) {
    this.#app = app;
    this.#log = log;
  }

  /** The registrar a service uses as `ctx.http`. Mounts its catch-alls on first call (before listen). */
  forService(name: string): RouteRegistrar {
    const table = this.#tables.get(name) ?? this.#mount(name);
    return {
      route: (method, path, handler, options) => {
        const methods: RouteMethod[] = Array.isArray(method) ? method : [method];
        table.addRoute(methods, path, handler, options?.access ?? "session");
      },
      websocket: (path, handler) => table.addSocket(path, handler),
      page: (page) => table.addPage(page),
      listening: () => {
        const bound = this.#app.server.listening ? this.#app.server.address() : null;
        return typeof bound === "object" && bound !== null
          ? { address: bound.address, port: bound.port }
          : undefined;
      },
    };
  }

  /** Drops a service's registrations and closes its WebSockets; its URLs answer 503 until it registers again. */
  reset(name: string): void {
    this.#tables.get(name)?.reset();
  }

  /** The dashboard pages the service added since its last reset (absolute paths). */
  pages(name: string): ServicePage[] {
    return this.#tables.get(name)?.pages ?? [];
  }

  /** Names of every mounted service. */
  get names(): string[] {
    return [...this.#tables.keys()];
  }

  #mount(name: string): ServiceTable {
    if (!SERVICE_NAME.test(name) || RESERVED_NAMES.has(name) || RESERVED_API_NAMES.has(name)) {
      throw new Error(
        `cannot mount HTTP routes for a service named "${name}": use lowercase letters, digits and dashes, not a name the host uses (${[...RESERVED_NAMES, ...RESERVED_API_NAMES].join(", ")})`,
      );
    }
    if (this.#app.server.listening) {
      throw new Error(
        `cannot mount HTTP routes for "${name}" after the server started listening; mount every service first (createHttpServer's services option)`,
      );
    }
    const table = new ServiceTable(name);
    this.#mountSession(table);
    this.#mountOpen(table);
    this.#tables.set(name, table);
    return table;
  }

  #mountSession(table: ServiceTable): void {
    const prefix = `/api/${table.name}`;
    const handler = dispatch(table, "session", prefix);
    this.#app.route({
      method: "GET",
      url: `${prefix}/*`,
      handler,
      preHandler: async (request, reply) => refuseSocket(table, prefix, request, reply),
      wsHandler: (socket, request) => this.#dispatchSocket(table, prefix, socket, request),
    });
    this.#app.route({ method: NON_GET_METHODS, url: `${prefix}/*`, handler });
  }

  #mountOpen(table: ServiceTable): void {
    const prefix = `/${table.name}`;
    this.#app.route({
      method: ["GET", ...NON_GET_METHODS],
      url: `${prefix}/*`,
      handler: dispatch(table, "open", prefix),
      config: { access: "public", isOpenServiceRoute: true },
    });
  }

  #dispatchSocket(table: ServiceTable, prefix: string, socket: WebSocket, request: FastifyRequest) {
    // refuseSocket answered 404/503 before the upgrade; this only races with a reset in between.
    const match = table.findSocket(relativeUrl(request.url, prefix));
    if (match === null) {
      socket.close(1012, `${table.name} is restarting`);
      return;
    }
    setParams(request, match.params);
    table.track(socket);
    this.#log.debug({ svc: table.name, url: request.url }, "websocket opened");
    match.handler(socket, request);
  }
}

/** The catch-all's handler: find the service's current handler and hand the request over as is. */
function dispatch(table: ServiceTable, access: ServiceAccess, prefix: string): RouteHandlerMethod {
  return function serviceDispatch(request: FastifyRequest, reply: FastifyReply) {
    if (!table.hasRoutes) return notRunning(table, reply);
    const match = table.find(access, request.method, relativeUrl(request.url, prefix));
    if (match === null) {
      return reply.code(404).send({ error: `not found: ${request.method} ${request.url}` });
    }
    setParams(request, match.params);
    // Returned as is, so the service's handler has fastify's own sync/async/reply.send semantics.
    return match.handler(request, reply) as ReturnType<RouteHandlerMethod>;
  };
}

async function refuseSocket(
  table: ServiceTable,
  prefix: string,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  if (!request.ws) return;
  if (!table.hasRoutes) return notRunning(table, reply);
  if (table.findSocket(relativeUrl(request.url, prefix)) === null) {
    return reply.code(404).send({ error: `no WebSocket at ${request.url}` });
  }
}

function notRunning(table: ServiceTable, reply: FastifyReply) {
  return reply
    .code(503)
    .header("retry-after", "10")
    .send({ error: `${table.name} is not running` });
}

/**
 * The URL below the prefix, still raw (find-my-way decodes it once more when matching). Cut by
 * counting segments, not characters: the client may have percent-encoded the prefix itself.
 */
function relativeUrl(url: string, prefix: string): string {
  let at = 0;
  for (let segments = prefix.split("/").length - 1; segments > 0; segments--) {
    at = url.indexOf("/", at + 1);
    if (at < 0) return "/";
  }
  return url.slice(at);
}

/** The service's own route params (e.g. :id) replace the catch-all's `*`. */
function setParams(request: FastifyRequest, params: Record<string, string | undefined>): void {
  (request as { params: unknown }).params = params;
}
