import type { FastifyRequest } from "fastify";

/**
 * True unless the browser says the request comes from another site: `Origin` (when present) must
 * name the same host and port as `Host`, and `Sec-Fetch-Site` (when present) must not be
 * cross-site. Clients that send neither (curl, scripts) pass; they cannot ride a victim's cookie.
 */
export function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers["sec-fetch-site"];
  if (site === "cross-site") return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  const host = request.headers.host;
  if (host === undefined) return false;
  try {
    const url = new URL(origin);
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    // Parsing Host the same way normalizes case and drops a default port ("box:80" = "box").
    return url.host === new URL(`${url.protocol}//${host}`).host;
  } catch {
    // "null" (sandboxed frames, file://) and garbage are not our origin.
    return false;
  }
}
