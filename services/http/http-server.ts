import { hostname } from "node:os";
import fastifyCookie from "@fastify/cookie";
import fastifyWebsocket from "@fastify/websocket";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { Auth, type AuthOptions } from "../auth/auth.js";
import { dashboardRoutes } from "../dashboard/dashboard-routes.js";
import { HearthError } from "../errors.js";
import type { StatusSource } from "../host/host-status.js";
import { serviceLogger } from "../log/logger.js";
import { bodyParsers } from "./body-parsers.js";
import { errorReplies } from "./error-replies.js";
import { metricsRoute } from "./metrics-route.js";
import { requestLog } from "./request-log.js";
import { securityHeaders } from "./security-headers.js";
import { ServiceRoutes } from "./service-routes.js";
import { StatusEvents } from "./status-events.js";
import { statusRoutes } from "./status-routes.js";

export interface HttpServerOptions {
  /** The root logger; the server logs as `{ svc: "http" }`. */
  log: Logger;
  /** Default 8200; 0 picks a free port (tests). */
  port?: number;
  /** Address to listen on. Default 0.0.0.0 (the LAN: DLNA clients and the dashboard). */
  listen?: string;
  /** hearth's data dir; the admin password lives in <dataDir>/host/. */
  dataDir: string;
  status: StatusSource;
  version: string;
  /** Services to mount now (see ServiceRoutes); more can be mounted with routes.forService before listen. */
  services?: readonly string[];
  /** Refresh period of the dashboard's live status while one is open. Default 10 s. */
  eventsRefreshMs?: number;
  /** Test seams for session expiry and the login throttle. */
  auth?: Pick<AuthOptions, "sessions" | "throttle">;
}

/** The one HTTP port: dashboard, JSON API, WebSockets and the services' open (DLNA) routes. */
export interface HttpServer {
  /** The fastify app (tests use `app.inject`). */
  readonly app: FastifyInstance;
  /** Per-service route registrars; see ServiceRoutes for what the host calls and when. */
  readonly routes: ServiceRoutes;
  readonly auth: Auth;
  /** Starts listening; rejects with E_PORT_BUSY when the port is taken or not allowed. */
  listen(): Promise<{ port: number; url: string }>;
  /** Ends live streams and sockets and stops listening. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Builds the HTTP server: loads (or on first start creates) the admin password, then mounts the
 * auth guard, the built-in routes (/healthz, /api/status, /api/events, /metrics, login), the
 * dashboard and the given services' catch-alls. Nothing listens until `listen()`.
 */
export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const log = serviceLogger(options.log, "http");
  const port = options.port ?? 8200;
  const address = options.listen ?? "0.0.0.0";
  const app = await baseApp(log);
  const auth = await Auth.open({
    dataDir: options.dataDir,
    log,
    dashboardUrl: dashboardUrl(address, port),
    ...options.auth,
  });
  auth.install(app);
  statusRoutes(app, options.status);
  new StatusEvents(options.status, log, options.eventsRefreshMs).install(app);
  metricsRoute(app, options.status);
  await dashboardRoutes(app);
  const routes = new ServiceRoutes(app, log);
  for (const name of options.services ?? []) routes.forService(name);
  let closing: Promise<void> | undefined;
  return {
    app,
    routes,
    auth,
    listen: () => listen(app, address, port),
    close: () => (closing ??= app.close()),
  };
}

async function baseApp(log: Logger): Promise<FastifyInstance> {
  const isDebug = log.isLevelEnabled("debug");
  const app = Fastify({
    // fastify logs its listen banner at info; hearth's own start-up line says it better.
    loggerInstance: (isDebug ? log : log.child({}, { level: "warn" })) as FastifyBaseLogger,
    // fastify makes a child logger ({ reqId }) per request. With hearth's redaction that cost
    // ~8 µs and ~17 KB of garbage per request (measured; a Browse takes ~400 µs in all), for
    // bindings only a debug line would show: below debug, requests share the app's logger.
    ...(isDebug ? {} : { childLoggerFactory: (logger: FastifyBaseLogger) => logger }),
    // No "incoming request"/"request completed" lines: requestLog adds one at debug instead.
    logController: new LogController({ disableRequestLogging: true }),
    // On shutdown, cut long media streams too: the host must stop within seconds.
    forceCloseConnections: true,
    // The dashboard runs on a LAN without a proxy; X-Forwarded-For would let a guesser pick its IP.
    trustProxy: false,
    // Slowloris guard: a request (headers and body) must arrive within 30 s. Responses are not
    // limited: a paused TV may hold its stream for hours.
    requestTimeout: 30_000,
    // Handlers validate their input with zod, like the config. fastify's default compilers would
    // load ajv and fast-json-stringify (~60 ms of every start, ~200 files) for route schemas
    // hearth does not use; a route given one fails at start-up with this message.
    schemaController: {
      compilersFactory: { buildValidator: noSchemas, buildSerializer: noSchemas },
    },
  });
  app.addHttpMethod("SUBSCRIBE");
  app.addHttpMethod("UNSUBSCRIBE");
  app.addHttpMethod("NOTIFY", { hasBody: true });
  bodyParsers(app);
  errorReplies(app);
  securityHeaders(app);
  requestLog(app, log);
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, { options: { maxPayload: 1024 * 1024 } });
  return app;
}

/** A compiler factory whose compiler refuses: no route schema is ever compiled. */
function noSchemas(): () => never {
  return () => {
    throw new Error(
      "hearth's HTTP routes validate with zod in the handler; JSON route schemas are not compiled",
    );
  };
}

async function listen(
  app: FastifyInstance,
  host: string,
  port: number,
): Promise<{ port: number; url: string }> {
  try {
    await app.listen({ host, port, listenTextResolver: () => "" });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EADDRINUSE" && code !== "EACCES") throw err;
    throw new HearthError("E_PORT_BUSY", `cannot listen on ${host}:${port} (${code})`, {
      cause: err,
      fix:
        code === "EADDRINUSE"
          ? `another program uses port ${port}; stop it, or set http.port in hearth.yaml`
          : `ports below 1024 need privileges; set http.port to 8200 in hearth.yaml`,
    });
  }
  const bound = app.server.address();
  const boundPort = typeof bound === "object" && bound !== null ? bound.port : port;
  return { port: boundPort, url: dashboardUrl(host, boundPort) };
}

/** The URL a person on the LAN would type: the box's name unless bound to one address. */
function dashboardUrl(address: string, port: number): string {
  const host = address === "0.0.0.0" || address === "::" ? hostname() : address;
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}/`;
}
