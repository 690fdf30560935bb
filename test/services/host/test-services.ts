import pino from "pino";
import type { CatalogNamespace } from "../../../storage/catalog/catalog-namespace.js";
import type { ServiceHealth, Service, ServiceContext } from "../../../services/host/service.js";
import type { HostCatalog, HostRoutes } from "../../../services/host/host.js";
import type { RouteRegistrar } from "../../../services/http/route-registrar.js";

/** Test double for the host's contract: a service whose behaviour each test scripts. */
export class ScriptedService implements Service {
  readonly name: string;
  readonly events: string[] = [];
  startFailures: number;
  stopHangs = false;
  healthState: ServiceHealth = { state: "ok" };
  ctx: ServiceContext | undefined;

  constructor(name: string, options: { startFailures?: number } = {}) {
    this.name = name;
    this.startFailures = options.startFailures ?? 0;
  }

  async start(ctx: ServiceContext): Promise<void> {
    this.ctx = ctx;
    this.events.push("start");
    if (this.startFailures > 0) {
      this.startFailures -= 1;
      throw new Error(`${this.name} cannot open its port`);
    }
  }

  async stop(signal: AbortSignal): Promise<void> {
    this.events.push("stop");
    if (this.stopHangs) await new Promise((r) => signal.addEventListener("abort", r));
  }

  health(): ServiceHealth {
    return this.healthState;
  }
}

export const silentLog = pino({ level: "silent" });

export function memoryCatalog(): HostCatalog {
  return {
    namespace: (name: string) => ({ name }) as unknown as CatalogNamespace,
    sizeBytes: async () => 0,
  };
}

export function recordingRoutes(): HostRoutes & { resets: string[] } {
  const resets: string[] = [];
  return {
    resets,
    forService: (): RouteRegistrar => ({
      route() {},
      websocket() {},
      page() {},
      listening: () => undefined,
    }),
    reset: (name: string) => void resets.push(name),
    pages: () => [],
  };
}

/** Polls `check` until it is true or `timeoutMs` passes (conditions, not timings). */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${check}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
