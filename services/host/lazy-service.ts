import type { Service, ServiceContext, ServiceHealth } from "./service.js";

/**
 * A service whose module is imported on its first start, so a service that is off costs nothing:
 * its code is never loaded (1–2.5 MiB of resident memory per service, held for the life of the
 * process on a 1 GB box).
 * `name` must be the loaded service's name; a mismatch fails the start rather than filing the
 * service's catalog and routes under the wrong name.
 */
export function lazyService(name: string, load: () => Promise<Service>): Service {
  let loaded: Service | undefined;
  return {
    name,
    async start(ctx: ServiceContext): Promise<void> {
      loaded ??= await load();
      if (loaded.name !== name)
        throw new Error(`service module for "${name}" loaded a service named "${loaded.name}"`);
      await loaded.start(ctx);
    },
    async stop(signal: AbortSignal): Promise<void> {
      await loaded?.stop(signal);
    },
    health(): ServiceHealth {
      // The host asks only after a successful start, which loaded the module.
      if (loaded === undefined) return { state: "failed", reason: `${name} has not started yet` };
      return loaded.health();
    },
  };
}
