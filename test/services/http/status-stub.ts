import type {
  HostStatus,
  ServiceStatus,
  StatusSource,
} from "../../../services/host/host-status.js";

/**
 * A StatusSource for tests, standing in for the host (a fake: the real host is another part's
 * work and would drag in every service). `set()` changes a service and fires onChange, as the
 * host does when a service's state changes.
 */
export class StatusStub implements StatusSource {
  services: ServiceStatus[];
  readonly #listeners = new Set<() => void>();
  readonly #startedAt = new Date(Date.now() - 3 * 86400_000 - 4 * 3600_000 - 12 * 60_000);

  constructor(services: ServiceStatus[] = [service("media", "ok")]) {
    this.services = services;
  }

  async status(): Promise<HostStatus> {
    const worst = this.services.some((s) => s.state === "failed")
      ? "failed"
      : this.services.some((s) => s.state === "degraded")
        ? "degraded"
        : "ok";
    return {
      version: "0.1.0",
      hostname: "hearthbox",
      pid: process.pid,
      node: process.version,
      startedAt: this.#startedAt.toISOString(),
      uptimeSeconds: Math.round((Date.now() - this.#startedAt.getTime()) / 1000),
      configFile: "/etc/hearth/hearth.yaml",
      dataDir: "/var/lib/hearth",
      process: { cpuSeconds: 812.4, rssBytes: 94 * 1024 * 1024 },
      catalog: { sizeBytes: 18_400_000, batchesWritten: 0 },
      disk: { path: "/var/lib/hearth", freeBytes: 212e9, totalBytes: 931e9 },
      services: this.services.map((s) => ({ ...s })),
      overall: worst,
    };
  }

  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  /** Listeners currently subscribed (the SSE endpoint should hold one only while a client is connected). */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Replaces a service's status and notifies listeners. */
  set(name: string, patch: Partial<ServiceStatus>): void {
    this.services = this.services.map((s) =>
      s.name === name ? { ...s, ...patch, since: new Date().toISOString() } : s,
    );
    for (const fn of this.#listeners) fn();
  }
}

/** A ServiceStatus with sensible defaults. */
export function service(
  name: string,
  state: ServiceStatus["state"],
  extra: Partial<ServiceStatus> = {},
): ServiceStatus {
  return {
    name,
    title: name[0]!.toUpperCase() + name.slice(1),
    state,
    since: new Date(Date.now() - 3600_000).toISOString(),
    restarts: 0,
    pages: [],
    ...extra,
  };
}
