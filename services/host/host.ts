import { mkdir, statfs } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import type { CatalogNamespace } from "../../storage/catalog/catalog-namespace.js";
import type { RouteRegistrar } from "../http/route-registrar.js";
import { serviceLogger } from "../log/logger.js";
import { type BackoffPolicy, DEFAULT_BACKOFF } from "./backoff.js";
import { CrashGuard } from "./crash-guard.js";
import type { EventHub } from "./event-bus.js";
import type { HostStatus, StatusSource } from "./host-status.js";
import type { Service } from "./service.js";
import { ServiceRunner } from "./service-runner.js";

/** What the host needs of the catalog (storage/catalog's Catalog satisfies it). */
export interface HostCatalog {
  namespace(name: string): CatalogNamespace;
  sizeBytes(): Promise<number>;
  /** A consistent copy of the whole catalog as a new database in `dir` (for hearth's own backup). */
  copyTo?(dir: string): Promise<number>;
  /** Write batches since the catalog was opened (idle and unchanged restarts must add none). */
  readonly stats?: { batchesWritten: number };
}

/** What the host needs of the HTTP layer (services/http's ServiceRoutes satisfies it). */
export interface HostRoutes {
  forService(name: string): RouteRegistrar;
  reset(name: string): void;
  pages(name: string): Array<{ title: string; path: string }>;
}

/** One service as the host is told about it, in start order. */
export interface ServiceEntry {
  service: Service;
  title: string;
  config: unknown;
  /** Set when the service must not run: turned off in config, or not part of this build. */
  off?: { reason: string; fix?: string };
}

export interface HostOptions {
  log: Logger;
  catalog: HostCatalog;
  hub: EventHub;
  routes: HostRoutes;
  dataDir: string;
  version: string;
  configFile: string | null;
  backoff?: BackoffPolicy;
  startTimeoutMs?: number;
  /** Called for an uncaught error outside every service; the default logs it and exits 1. */
  onFatal?: (err: Error) => void;
}

/**
 * Runs the role services: starts them in order, restarts one that fails without touching the
 * others, stops them all on shutdown, and reports their state. Implements StatusSource for the
 * dashboard, `/healthz` and `hearth status`.
 */
export class Host implements StatusSource {
  readonly #o: HostOptions;
  readonly #runners: ServiceRunner[] = [];
  readonly #listeners = new Set<() => void>();
  readonly #guard: CrashGuard;
  readonly #startedAt = Date.now();

  constructor(options: HostOptions, entries: readonly ServiceEntry[]) {
    this.#o = options;
    this.#guard = new CrashGuard({
      onServiceCrash: (name, err) => this.#runner(name)?.fail(err),
      onFatal:
        options.onFatal ??
        ((err) => {
          options.log.fatal({ err }, "uncaught error outside any service; exiting");
          process.exit(1);
        }),
    });
    for (const entry of entries) this.#runners.push(this.#makeRunner(entry));
  }

  /** Starts every service in order. Never rejects: a service that fails is retried in the background. */
  async start(): Promise<void> {
    this.#guard.install();
    for (const runner of this.#runners) {
      if (runner.status().state === "off") continue;
      await runner.start();
    }
  }

  /** Stops services in reverse order within `deadlineMs` in total. */
  async stop(deadlineMs = 4_000): Promise<void> {
    const signal = AbortSignal.timeout(deadlineMs);
    for (const runner of [...this.#runners].reverse()) await runner.stop(signal);
    this.#guard.uninstall();
  }

  async status(): Promise<HostStatus> {
    const services = this.#runners.map((r) => r.status());
    const running = services.filter((s) => s.state !== "off");
    const overall = running.some((s) => s.state === "failed")
      ? "failed"
      : running.some((s) => s.state !== "ok")
        ? "degraded"
        : "ok";
    const cpu = process.cpuUsage();
    return {
      version: this.#o.version,
      hostname: hostname(),
      pid: process.pid,
      node: process.version,
      startedAt: new Date(this.#startedAt).toISOString(),
      uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000),
      configFile: this.#o.configFile,
      dataDir: this.#o.dataDir,
      process: { cpuSeconds: (cpu.user + cpu.system) / 1e6, rssBytes: process.memoryUsage.rss() },
      catalog: {
        sizeBytes: await this.#o.catalog.sizeBytes().catch(() => 0),
        batchesWritten: this.#o.catalog.stats?.batchesWritten ?? 0,
      },
      disk: await diskOf(this.#o.dataDir),
      services,
      overall,
    };
  }

  onChange(fn: () => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  #runner(name: string): ServiceRunner | undefined {
    return this.#runners.find((r) => r.name === name);
  }

  #makeRunner(entry: ServiceEntry): ServiceRunner {
    const { service } = entry;
    const log = serviceLogger(this.#o.log, service.name);
    const runner = new ServiceRunner({
      service,
      title: entry.title,
      log,
      backoff: this.#o.backoff ?? DEFAULT_BACKOFF,
      startTimeoutMs: this.#o.startTimeoutMs ?? 30_000,
      runAs: (fn) => this.#guard.runAs(service.name, fn),
      pages: () => this.#o.routes.pages(service.name),
      cleanup: () => {
        this.#o.hub.removeOwner(service.name);
        this.#o.routes.reset(service.name);
      },
      onChange: () => this.#changed(service.name),
      makeContext: async (signal, fail) => {
        const dataDir = join(this.#o.dataDir, service.name);
        await mkdir(dataDir, { recursive: true, mode: 0o750 });
        this.#o.routes.reset(service.name);
        return {
          config: entry.config,
          log,
          catalog: this.#o.catalog.namespace(service.name),
          bus: this.#o.hub.forOwner(service.name),
          http: this.#o.routes.forService(service.name),
          dataDir,
          signal,
          fail,
          hostState: {
            configFile: this.#o.configFile,
            copyCatalog: async (dir: string) => {
              if (!this.#o.catalog.copyTo) throw new Error("this catalog cannot be copied");
              return this.#o.catalog.copyTo(dir);
            },
          },
        };
      },
    });
    if (entry.off) runner.setOff(entry.off.reason, entry.off.fix);
    return runner;
  }

  #changed(name: string): void {
    this.#o.hub.emit("host.service-status", { name });
    for (const fn of this.#listeners) fn();
  }
}

async function diskOf(path: string): Promise<HostStatus["disk"]> {
  try {
    const s = await statfs(path);
    return { path, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
  } catch {
    // The data dir can vanish under us (unmounted disk); the dashboard shows "unknown".
    return null;
  }
}
