import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { ServiceStatus } from "../../../services/host/host-status.js";
import {
  createHttpServer,
  type HttpServer,
  type HttpServerOptions,
} from "../../../services/http/http-server.js";
import { createLogger } from "../../../services/log/logger.js";
import { StatusStub } from "./status-stub.js";

/** A server on a fresh data dir, with its log lines captured and the first-run password at hand. */
export interface TestServer {
  server: HttpServer;
  status: StatusStub;
  dataDir: string;
  password: string;
  /** Every log line the server wrote, as parsed JSON. */
  logLines: Array<Record<string, unknown>>;
  dispose(): Promise<void>;
}

/** Builds a server for tests (not listening); call `dispose()` after. */
export async function testServer(
  options: {
    services?: ServiceStatus[];
    mount?: string[];
    level?: "info" | "debug";
    port?: number;
  } & Partial<Pick<HttpServerOptions, "auth" | "eventsRefreshMs">> = {},
): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "hearth-http-"));
  const { log, logLines } = capturedLogger(options.level ?? "info");
  const status = new StatusStub(options.services);
  const server = await createHttpServer({
    log,
    port: options.port ?? 0,
    listen: "127.0.0.1",
    dataDir,
    status,
    version: "0.1.0",
    services: options.mount ?? ["media"],
    ...(options.auth !== undefined ? { auth: options.auth } : {}),
    ...(options.eventsRefreshMs !== undefined ? { eventsRefreshMs: options.eventsRefreshMs } : {}),
  });
  const password = (await readFile(join(dataDir, "host", "initial-admin-password"), "utf8")).trim();
  return {
    server,
    status,
    dataDir,
    password,
    logLines,
    async dispose() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A real hearth logger whose JSON lines are kept in memory for assertions. */
function capturedLogger(level: "info" | "debug") {
  const logLines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        logLines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { log: createLogger({ level, destination, isTty: false }), logLines };
}

/** Logs in through inject; returns the cookie header value and the CSRF token. */
export async function login(
  t: TestServer,
  password = t.password,
): Promise<{ cookie: string; csrfToken: string }> {
  const response = await t.server.app.inject({
    method: "POST",
    url: "/api/login",
    payload: { password },
  });
  if (response.statusCode !== 200)
    throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === "hearth_session");
  if (cookie === undefined) throw new Error("login set no hearth_session cookie");
  return {
    cookie: `hearth_session=${cookie.value}`,
    csrfToken: response.json<{ csrfToken: string }>().csrfToken,
  };
}
