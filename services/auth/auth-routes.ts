import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "./admin-credentials.js";
import type { Auth, PasswordAttempt } from "./auth.js";
import { SESSION_COOKIE, sendSessionCookie } from "./request-guard.js";

const passwordField = z.string().max(MAX_PASSWORD_LENGTH);
const loginBody = z.object({ password: passwordField });
const passwordChangeBody = z.object({ current: passwordField, next: passwordField });

/**
 * The login API the dashboard uses:
 * - POST /api/login {password} → sets the session cookie, returns { csrfToken, mustChangePassword };
 * - POST /api/logout → ends the session;
 * - GET /api/session → { authenticated, csrfToken?, mustChangePassword, … } (open, for the login page);
 * - POST /api/password {current, next} → changes the admin password, ends other sessions.
 */
export function authRoutes(app: FastifyInstance, auth: Auth): void {
  app.post(
    "/api/login",
    { config: { access: "public", isCsrfExempt: true } },
    async (request, reply) => login(request, reply, auth),
  );

  app.post("/api/logout", async (request, reply) => {
    auth.sessions.delete(request.cookies[SESSION_COOKIE]);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return reply.code(204).send();
  });

  app.get("/api/session", { config: { access: "public" } }, async (request) =>
    sessionInfo(request, auth),
  );

  app.post("/api/password", async (request, reply) => changePassword(request, reply, auth));
}

/** The request's JSON body as `schema` wants it, or undefined after a 400 naming what to send. */
function bodyOf<T>(
  schema: z.ZodType<T>,
  request: FastifyRequest,
  reply: FastifyReply,
  expected: string,
): T | undefined {
  const parsed = schema.safeParse(request.body);
  if (parsed.success) return parsed.data;
  void reply.code(400).send({
    error: `send a JSON body ${expected} (passwords of at most ${MAX_PASSWORD_LENGTH} characters)`,
  });
  return undefined;
}

async function login(request: FastifyRequest, reply: FastifyReply, auth: Auth) {
  const body = bodyOf(loginBody, request, reply, `{ "password": "…" }`);
  if (body === undefined) return reply;
  const result = await auth.attempt(request.ip, body.password, "login");
  if (result.outcome !== "ok") return refuse(reply, result);
  const { id, session } = auth.sessions.create();
  sendSessionCookie(request, reply, id, auth.sessions.idleTimeoutMs);
  return { csrfToken: session.csrfToken, mustChangePassword: auth.credentials.mustChangePassword };
}

function sessionInfo(request: FastifyRequest, auth: Auth) {
  const session = request.session;
  const mustChangePassword = auth.credentials.mustChangePassword;
  return {
    authenticated: session !== null,
    ...(session !== null ? { csrfToken: session.csrfToken } : {}),
    mustChangePassword,
    // Where to look for the password on the box; the login page shows it as help.
    ...(mustChangePassword ? { initialPasswordFile: auth.credentials.initialPasswordFile } : {}),
    adminFile: auth.credentials.file,
  };
}

async function changePassword(request: FastifyRequest, reply: FastifyReply, auth: Auth) {
  const body = bodyOf(passwordChangeBody, request, reply, `{ "current": "…", "next": "…" }`);
  if (body === undefined) return reply;
  const { current, next } = body;
  if (next.length < MIN_PASSWORD_LENGTH) {
    return reply
      .code(400)
      .send({ error: `the new password needs at least ${MIN_PASSWORD_LENGTH} characters` });
  }
  const attempt = await auth.attempt(request.ip, current, "password change");
  if (attempt.outcome === "throttled") return refuse(reply, attempt);
  if (attempt.outcome === "wrong") {
    return reply.code(403).send({ error: "the current password is not right" });
  }
  const result = await auth.credentials.setPassword(next);
  if (result !== "changed") {
    return reply.code(400).send({ error: `the new password is ${result}; choose another` });
  }
  auth.sessions.revokeAllExcept(request.session ?? undefined);
  auth.log.info("admin password changed; other dashboard sessions were logged out");
  return { mustChangePassword: false };
}

function refuse(reply: FastifyReply, result: Exclude<PasswordAttempt, { outcome: "ok" }>) {
  if (result.outcome === "throttled") {
    const minutes = Math.ceil(result.retryAfterSeconds / 60);
    return reply
      .code(429)
      .header("retry-after", String(result.retryAfterSeconds))
      .send({
        error: `too many wrong passwords from this device; try again in ${minutes} minute${minutes === 1 ? "" : "s"}`,
        retryAfterSeconds: result.retryAfterSeconds,
      });
  }
  return reply.code(401).send({ error: "wrong password" });
}
