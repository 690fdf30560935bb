import type { IncomingHttpHeaders } from "node:http";
import type { Socket } from "node:net";
import type { ClientQuirks } from "../clients/client-profiles.js";

/** What every DLNA request handler knows about the request beyond its arguments. */
export interface RequestContext {
  /**
   * "http://10.0.0.5:8200/media": built from the address the request came in on, so URLs in a
   * reply always point at an address the client can reach (MiniDLNA uses one fixed address).
   */
  baseUrl: string;
  remoteAddress: string;
  userAgent: string;
  headers: IncomingHttpHeaders;
  /** The requesting control point's quirks (media/clients); absent: a standard client. */
  quirks?: ClientQuirks;
}

/** The mount point of the media service's open routes. */
export const MEDIA_PATH_PREFIX = "/media";

/** A RequestContext from the raw request (fastify's `request.raw`). */
export function requestContext(raw: {
  socket: Socket;
  headers: IncomingHttpHeaders;
}): RequestContext {
  const socket = raw.socket;
  return {
    baseUrl: `http://${hostPart(socket.localAddress)}:${socket.localPort ?? 80}${MEDIA_PATH_PREFIX}`,
    remoteAddress: plainAddress(socket.remoteAddress ?? ""),
    userAgent: headerText(raw.headers["user-agent"]),
    headers: raw.headers,
  };
}

function hostPart(address: string | undefined): string {
  const plain = plainAddress(address ?? "127.0.0.1");
  return plain.includes(":") ? `[${plain}]` : plain;
}

/** "::ffff:10.0.0.5" (a v4 client on a dual-stack socket) → "10.0.0.5". */
export function plainAddress(address: string): string {
  return address.startsWith("::ffff:") && address.includes(".") ? address.slice(7) : address;
}

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(", ") : (value ?? "");
}
