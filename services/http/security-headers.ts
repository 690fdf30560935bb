import type { FastifyInstance } from "fastify";

/**
 * Everything the dashboard needs comes from this process, so the policy allows only 'self':
 * no inline scripts or styles (service pages under /api/<name>/ must follow it too).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Browser hardening for the dashboard and the API. Skipped on open service routes: DLNA
 * renderers want plain responses, and those routes serve no HTML to a logged-in browser.
 */
export function securityHeaders(app: FastifyInstance): void {
  app.addHook("onSend", async (request, reply) => {
    if (request.routeOptions.config.isOpenServiceRoute === true) return;
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "same-origin");
    reply.header("x-frame-options", "DENY");
    reply.header("content-security-policy", CONTENT_SECURITY_POLICY);
    const path = request.routeOptions.url ?? request.url;
    if (path.startsWith("/api/")) reply.header("cache-control", "no-store");
  });
}
