import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";

/**
 * One debug line per request (fastify's own request logging is off: at info a media server would
 * log every range request of every film). Headers are never logged: they carry the cookie.
 */
export function requestLog(app: FastifyInstance, log: Logger): void {
  // Decided once at start: a level change needs a restart, and the hook costs nothing when absent.
  if (!log.isLevelEnabled("debug")) return;
  app.addHook("onResponse", async (request, reply) => {
    request.log.debug(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      "request",
    );
  });
}
