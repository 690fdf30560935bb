import type { FastifyReply, FastifyRequest } from "fastify";
import type { WebSocket } from "ws";

export type RouteMethod =
  "GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "PATCH" | "SUBSCRIBE" | "UNSUBSCRIBE" | "NOTIFY";

export type RouteHandler = (request: FastifyRequest, reply: FastifyReply) => unknown;
export type SocketHandler = (socket: WebSocket, request: FastifyRequest) => void;

/**
 * How a service mounts HTTP routes. Paths are relative to the service's own prefix:
 * - `access: "session"` (default): under /api/<service>/, behind the dashboard login and CSRF check;
 * - `access: "open"`: under /<service>/, reachable by LAN clients without a login (DLNA renderers
 *   cannot log in); only for what those clients need.
 * Registrations are replaced wholesale each time the service starts, so a restarted service never
 * serves with a stale handler; while a service is not running its routes answer 503.
 */
export interface RouteRegistrar {
  route(
    method: RouteMethod | RouteMethod[],
    path: string,
    handler: RouteHandler,
    options?: { access?: "session" | "open" },
  ): void;
  /** A WebSocket endpoint under /api/<service>/, always behind the login. */
  websocket(path: string, handler: SocketHandler): void;
  /** Adds a page to the dashboard's navigation; `path` is served by one of this service's routes. */
  page(page: { title: string; path: string }): void;
  /**
   * Where the HTTP server listens (address as configured, e.g. "0.0.0.0", and the bound port), for
   * services that announce their URLs (SSDP); undefined before it listens. The host listens before
   * it starts services.
   */
  listening(): { address: string; port: number } | undefined;
}
