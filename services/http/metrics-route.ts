import type { FastifyInstance } from "fastify";
import type * as PromClient from "prom-client";
import type { HostStatus, StatusSource } from "../host/host-status.js";

/**
 * `GET /metrics` in Prometheus text format, for a dashboard session or HTTP Basic
 * `admin:<admin password>` (throttled like logins). Series:
 * - `hearth_service_up{service}`: 1 while a service runs (ok or degraded), else 0; services turned
 *   off in config are left out so they do not look like outages;
 * - `hearth_service_restarts{service}`, `hearth_catalog_size_bytes`, `hearth_data_disk_free_bytes`;
 * - prom-client's default `process_*` and `nodejs_*` metrics. These start at the first scrape:
 *   the event-loop-lag monitor is a timer, and a box nobody scrapes should run none. It samples
 *   once a second rather than prom-client's 100 times.
 * prom-client itself is loaded at the first scrape too: with OpenTelemetry's API, which it
 * imports, that is ~70 files and ~25 ms of every start for a feature most boxes never use.
 */
export function metricsRoute(app: FastifyInstance, status: StatusSource): void {
  let metrics: Promise<Metrics> | undefined;
  app.get("/metrics", { config: { access: "session-or-basic" } }, async (_request, reply) => {
    metrics ??= startMetrics();
    const { registry, gauges } = await metrics;
    gauges.update(await status.status());
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

interface Metrics {
  registry: PromClient.Registry;
  gauges: ReturnType<typeof hearthGauges>;
}

async function startMetrics(): Promise<Metrics> {
  const prom = await import("prom-client");
  const registry = new prom.Registry();
  const gauges = hearthGauges(prom, registry);
  prom.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1000 });
  return { registry, gauges };
}

function hearthGauges(prom: typeof PromClient, registry: PromClient.Registry) {
  const { Gauge } = prom;
  const registers = [registry];
  const up = new Gauge({
    name: "hearth_service_up",
    help: "1 while the service runs (ok or degraded), 0 when failed, starting or stopped.",
    labelNames: ["service"],
    registers,
  });
  const restarts = new Gauge({
    name: "hearth_service_restarts",
    help: "How often the host restarted the service since hearth started.",
    labelNames: ["service"],
    registers,
  });
  const catalog = new Gauge({
    name: "hearth_catalog_size_bytes",
    help: "Size of the catalog on disk.",
    registers,
  });
  const diskFree = new Gauge({
    name: "hearth_data_disk_free_bytes",
    help: "Free space on the filesystem of the data dir.",
    registers,
  });
  return {
    update(host: HostStatus): void {
      up.reset();
      restarts.reset();
      for (const s of host.services.filter((s) => s.state !== "off")) {
        up.set({ service: s.name }, s.state === "ok" || s.state === "degraded" ? 1 : 0);
        restarts.set({ service: s.name }, s.restarts);
      }
      catalog.set(host.catalog.sizeBytes);
      if (host.disk !== null) diskFree.set(host.disk.freeBytes);
    },
  };
}
