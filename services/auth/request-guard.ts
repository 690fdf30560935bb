import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Auth } from "./auth.js";
import { basicCredentials } from "./basic-credentials.js";
import { sameOrigin } from "./same-origin.js";
import { isCsrfTokenValid, type Session } from "./session-store.js";

/**
 * Who may call a route:
 * - "public": anyone (login page assets, /healthz, /api/login, open media routes);
 * - "session": a logged-in dashboard browser;
 * - "session-or-basic": a session, or HTTP Basic `admin:<password>` (Prometheus on /metrics).
 */
export type RouteAccess = "public" | "session" | "session-or-basic";

declare module "fastify" {
  interface FastifyContextConfig {
    /** Default: "session" for URLs under /api/, "public" elsewhere. */
    access?: RouteAccess;
    /** Skips the CSRF token (not the Origin check): only /api/login, which has no session yet. */
    isCsrfExempt?: boolean;
  }
  interface FastifyRequest {
    /** The caller's dashboard session, set by the guard; null when not logged in. */
    session: Session | null;
  }
}

/** Name of the session cookie. */
export const SESSION_COOKIE = "hearth_session";
/** Re-send the cookie at most daily, so its expiry slides without a Set-Cookie on every reply. */
const COOKIE_REFRESH_MS = 24 * 3600 * 1000;
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Adds the onRequest hook that enforces route access, the CSRF token and the Origin check. */
export function requestGuard(app: FastifyInstance, auth: Auth): void {
  app.decorateRequest("session", null);
  app.addHook("onRequest", async (request, reply) => {
    // Decide by the matched route's pattern, not the raw URL: the router decodes "/%61pi/status"
    // to /api/status, and a check on the raw URL would let that through without a login.
    const isApi = (request.routeOptions.url ?? request.url).startsWith("/api/");
    const config = request.routeOptions.config;
    const access = config.access ?? (isApi ? "session" : "public");
    const session = auth.sessions.get(request.cookies[SESSION_COOKIE]);
    request.session = session ?? null;
    if (session !== undefined) refreshCookie(request, reply, session, auth);
    const isStateChanging = STATE_CHANGING.has(request.method);
    const isUpgrade = request.headers.upgrade?.toLowerCase() === "websocket";
    if (((isApi && isStateChanging) || isUpgrade) && !sameOrigin(request)) {
      return forbid(reply, "this request came from another site; use the dashboard itself");
    }
    if (access === "public") return;
    if (session !== undefined) {
      if (!isStateChanging || config.isCsrfExempt === true) return;
      if (isCsrfTokenValid(session, request.headers["x-csrf-token"])) return;
      return forbid(reply, "missing or stale CSRF token; reload the dashboard and try again");
    }
    if (access === "session-or-basic" && request.headers.authorization !== undefined) {
      return basicAuth(request, reply, auth);
    }
    return loginRequired(request, reply, access);
  });
}

/** Sets the session cookie (login, and the daily refresh that slides its expiry). */
export function sendSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  maxAgeMs: number,
): void {
  reply.setCookie(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: "strict",
    path: "/",
    secure: request.protocol === "https",
    maxAge: Math.floor(maxAgeMs / 1000),
  });
}

function refreshCookie(request: FastifyRequest, reply: FastifyReply, session: Session, auth: Auth) {
  const id = request.cookies[SESSION_COOKIE];
  if (id === undefined || Date.now() - session.cookieSentAt < COOKIE_REFRESH_MS) return;
  session.cookieSentAt = Date.now();
  sendSessionCookie(request, reply, id, auth.sessions.idleTimeoutMs);
}

async function basicAuth(request: FastifyRequest, reply: FastifyReply, auth: Auth) {
  const credentials = basicCredentials(request.headers.authorization);
  // An unknown user costs the same scrypt as a wrong password and gets the same answer.
  const password = credentials?.user === "admin" ? credentials.password : "\0not-admin";
  const result = await auth.attempt(request.ip, password, "metrics");
  if (result.outcome === "ok") return;
  if (result.outcome === "throttled") {
    return reply
      .code(429)
      .header("retry-after", String(result.retryAfterSeconds))
      .send({ error: `too many wrong passwords; try again in ${result.retryAfterSeconds} s` });
  }
  return loginRequired(request, reply, "session-or-basic");
}

function loginRequired(request: FastifyRequest, reply: FastifyReply, access: RouteAccess) {
  const accept = request.headers.accept ?? "";
  if (
    request.method === "GET" &&
    request.headers.upgrade === undefined &&
    /^text\/html/.test(accept)
  ) {
    // A person following a link to a service page: show them the login page instead of JSON.
    return reply.redirect("/", 303);
  }
  if (access === "session-or-basic") {
    reply.header("www-authenticate", 'Basic realm="hearth", charset="UTF-8"');
  }
  return reply.code(401).send({ error: "login required" });
}

function forbid(reply: FastifyReply, message: string) {
  return reply.code(403).send({ error: message });
}
