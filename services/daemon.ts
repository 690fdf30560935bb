import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { Catalog } from "../storage/catalog/index.js";
import { ConfigError, loadConfig, resolveDataDir, type HearthConfig } from "./config/index.js";
import { apiForwarder, upgradeForwarder } from "./control/api-forwarder.js";
import { ControlServer } from "./control/control-server.js";
import { daemonSocketPath } from "./control/socket-path.js";
import { describeError, HearthError } from "./errors.js";
import { EventHub } from "./host/event-bus.js";
import { DeferredStatus } from "./host/deferred-status.js";
import { Host } from "./host/host.js";
import { EXIT, installShutdown } from "./host/shutdown.js";
import { createHttpServer, type HttpServer } from "./http/http-server.js";
import { createLogger, serviceLogger } from "./log/logger.js";
import { serviceEntries } from "./registry.js";
import { VERSION } from "./version.js";

export interface DaemonOptions {
  config?: string;
  data?: string;
  port?: number;
  listen?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * `hearth start`: load and check the config, open the catalog, serve HTTP and the control socket,
 * start the services, and stay up until SIGTERM/SIGINT. Resolves only with an exit code when it
 * cannot start; once running, the shutdown handler exits the process.
 */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const env = options.env ?? process.env;
  let loaded;
  try {
    loaded = loadConfig({ path: options.config, env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(
      `${err.format()}\nhearth did not start: fix the config above (check it with \`hearth config check\`).\n`,
    );
    return EXIT.config;
  }
  const config = applyFlags(loaded.config, options);
  const log = createLogger({ level: config.log.level, serviceLevels: config.log.services });
  const dataDir = resolveDataDir({ cliData: options.data, config, env });
  try {
    return await serve({ log, config, dataDir, configFile: loaded.file });
  } catch (err) {
    log.error({ err }, describeError(err));
    if (err instanceof HearthError && err.fix) log.error(err.fix);
    return EXIT.failure;
  }
}

async function serve(o: {
  log: Logger;
  config: HearthConfig;
  dataDir: string;
  configFile: string | null;
}): Promise<number> {
  const { log, config, dataDir } = o;
  await mkdir(dataDir, { recursive: true, mode: 0o750 });
  const catalog = await Catalog.open({
    dir: join(dataDir, "catalog"),
    log: serviceLogger(log, "catalog"),
  });
  const hub = new EventHub(log);
  const entries = serviceEntries(config as unknown as Record<string, unknown>);
  const status = new DeferredStatus();
  let http: HttpServer;
  try {
    http = await createHttpServer({
      log,
      port: config.http.port,
      listen: config.http.listen,
      dataDir,
      status,
      version: VERSION,
      services: entries.map((e) => e.service.name),
    });
  } catch (err) {
    await catalog.close();
    throw err;
  }
  const host = new Host(
    { log, catalog, hub, routes: http.routes, dataDir, version: VERSION, configFile: o.configFile },
    entries,
  );
  status.bind(host);
  const control = new ControlServer({
    socketPath: daemonSocketPath(dataDir),
    status: host,
    log,
    forward: apiForwarder(http.app, http.auth),
    upgrade: upgradeForwarder(http.app, http.auth),
  });
  installShutdown({
    log,
    stopAll: async () => {
      await host.stop(3_000);
      await Promise.allSettled([control.close(), http.close()]);
      await catalog.close();
    },
  });
  try {
    const { url } = await http.listen();
    await control.listen();
    log.info(
      { version: VERSION, dataDir, config: o.configFile ?? "built-in defaults", url },
      `hearth ${VERSION} is up: dashboard at ${url}`,
    );
  } catch (err) {
    await Promise.allSettled([control.close(), http.close()]);
    await catalog.close();
    throw err;
  }
  await host.start();
  for (const e of entries.filter((x) => x.off))
    log.info({ service: e.service.name }, e.off?.reason ?? "off");
  return new Promise<number>(() => {
    // Runs until a signal; installShutdown exits the process.
  });
}

function applyFlags(config: HearthConfig, options: DaemonOptions): HearthConfig {
  return {
    ...config,
    http: {
      ...config.http,
      ...(options.port === undefined ? {} : { port: options.port }),
      ...(options.listen === undefined ? {} : { listen: options.listen }),
    },
  };
}
