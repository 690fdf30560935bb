import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { FastifyInstance } from "fastify";
import type { Auth } from "../auth/auth.js";
import { SESSION_COOKIE } from "../auth/request-guard.js";
import type { ControlRequest, ControlResponse } from "./control-server.js";

/**
 * Runs a control-socket request through the HTTP app as the admin: a session made for this one
 * request (and deleted after) carries the cookie and CSRF token, so the CLI passes the same guard
 * as the dashboard and no second way in exists. Reaching the socket file is the permission check.
 */
export function apiForwarder(
  app: FastifyInstance,
  auth: Auth,
): (req: ControlRequest) => Promise<ControlResponse> {
  return async (req) => {
    const { id, session } = auth.sessions.create();
    try {
      const res = await app.inject({
        method: req.method as "GET",
        url: req.url,
        headers: {
          cookie: `${SESSION_COOKIE}=${id}`,
          "x-csrf-token": session.csrfToken,
          ...(req.contentType === undefined ? {} : { "content-type": req.contentType }),
        },
        ...(req.body.length > 0 ? { payload: req.body } : {}),
      });
      const contentType = res.headers["content-type"];
      return {
        statusCode: res.statusCode,
        contentType: typeof contentType === "string" ? contentType : undefined,
        body: res.body,
      };
    } finally {
      auth.sessions.delete(id);
    }
  };
}

/**
 * Hands a WebSocket upgrade that arrived on the control socket (`hearth console attach`) to the
 * HTTP app, as the admin: a session made for this connection (deleted when it closes) carries the
 * cookie, and the app's own router, guard and WebSocket handler take it from there.
 */
export function upgradeForwarder(
  app: FastifyInstance,
  auth: Auth,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    const { id } = auth.sessions.create();
    socket.once("close", () => auth.sessions.delete(id));
    req.headers.cookie = `${SESSION_COOKIE}=${id}`;
    req.headers["x-hearth-client"] = "cli";
    // Browsers cannot reach this socket; a forged Origin from a local program gains nothing.
    delete req.headers.origin;
    app.server.emit("upgrade", req, socket, head);
  };
}
