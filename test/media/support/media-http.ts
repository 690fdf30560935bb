import type { Logger } from "pino";
import type { RouteRegistrar } from "../../../services/http/route-registrar.js";
import { testServer } from "../../services/http/test-server.js";

/** The real hearth HTTP server with the media service's routes, listening on 127.0.0.1. */
export interface MediaHttp {
  /** What the media service gets as `ctx.http`: register routes, then call them at `url`. */
  http: RouteRegistrar;
  /** "http://127.0.0.1:<port>"; open media routes are under `${url}/media/…`. */
  url: string;
  port: number;
  log: Logger;
  /** Every log line the server wrote, as parsed JSON. */
  logLines: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * Starts the real fastify app hearth uses (body parsers, SUBSCRIBE/UNSUBSCRIBE/NOTIFY methods,
 * security headers, the open `/media/*` catch-all) on a free loopback port, for route tests
 * that go through real sockets (curl, python GUPnP, Net::UPnP).
 */
export async function mediaHttp(options: { level?: "info" | "debug" } = {}): Promise<MediaHttp> {
  const test = await testServer({ mount: ["media"], level: options.level ?? "debug" });
  const http = test.server.routes.forService("media");
  const { port, url } = await test.server.listen();
  return {
    http,
    url: url.replace(/\/$/, "").replace("0.0.0.0", "127.0.0.1"),
    port,
    log: test.server.app.log as unknown as Logger,
    logLines: test.logLines,
    close: () => test.dispose(),
  };
}
