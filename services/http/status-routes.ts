import type { FastifyInstance } from "fastify";
import type { HostStatus, ServiceStatus, StatusSource } from "../host/host-status.js";

/** What /healthz answers; see healthOf. */
export interface HealthReport {
  status: "ok" | "starting" | "degraded" | "failed";
  failing?: Array<{ name: string; state: string; reason?: string }>;
}

/**
 * `GET /healthz` (open, for uptime monitors, Docker HEALTHCHECK, systemd probes) and
 * `GET /api/status` (session: the full HostStatus the dashboard shows).
 */
export function statusRoutes(app: FastifyInstance, status: StatusSource): void {
  app.get("/healthz", { config: { access: "public" } }, async (_request, reply) => {
    const report = healthOf(await status.status());
    reply.header("cache-control", "no-store");
    return reply.code(report.status === "failed" ? 503 : 200).send(report);
  });
  app.get("/api/status", async () => status.status());
}

/**
 * Health from the services that are meant to run ("off" and "stopped" ones are left out):
 * - any failed → 503 `{ status: "failed", failing: [...] }` (the failed ones);
 * - else any degraded → 200 `{ status: "degraded", failing: [...] }`: working, with a problem;
 *   a monitor that should page on it can match the body;
 * - else any starting → 200 `{ status: "starting" }`;
 * - else 200 `{ status: "ok" }`.
 */
export function healthOf(host: HostStatus): HealthReport {
  const failed = host.services.filter((s) => s.state === "failed");
  if (failed.length > 0) return { status: "failed", failing: failed.map(brief) };
  const degraded = host.services.filter((s) => s.state === "degraded");
  if (degraded.length > 0) return { status: "degraded", failing: degraded.map(brief) };
  if (host.services.some((s) => s.state === "starting")) return { status: "starting" };
  return { status: "ok" };
}

function brief(s: ServiceStatus): { name: string; state: string; reason?: string } {
  return { name: s.name, state: s.state, ...(s.reason !== undefined ? { reason: s.reason } : {}) };
}
