import type { FastifyError, FastifyInstance } from "fastify";

/**
 * JSON errors `{ error }` for every failure, and no per-request log noise: a client's bad request
 * (4xx) is logged at debug only; a server fault (5xx) is logged at error with the stack, and the
 * client gets a sentence without internals.
 */
export function errorReplies(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const statusCode = err.statusCode !== undefined && err.statusCode >= 400 ? err.statusCode : 500;
    if (statusCode >= 500) {
      request.log.error({ err, method: request.method, url: request.url }, "request failed");
      return reply
        .code(statusCode)
        .send({ error: "hearth could not answer this request; the log has the details" });
    }
    request.log.debug({ err: err.message, url: request.url }, "bad request");
    return reply.code(statusCode).send({ error: err.message });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `not found: ${request.method} ${request.url}` }),
  );
}
