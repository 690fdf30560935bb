import type { BindingInterface } from "@serialport/bindings-cpp";
import { realpath } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import type { CatalogNamespace } from "../../storage/catalog/catalog-namespace.js";
import type { ServiceHealth } from "../host/service.js";
import { consolePortSchema, type ConsoleConfig, type ConsolePortConfig } from "./config-schema.js";
import { ConsolePort, type ConsolePortView } from "./console-port.js";
import { scanSerialDevices } from "./devices/serial-devices.js";
import { PathWatch } from "./line/path-watch.js";
import type { PowerAction } from "./power/power-control.js";
import { TcpAttach } from "./transports/tcp-attach.js";

/** Everything `GET /api/console/ports` answers. */
export interface ConsolesStatus {
  health: ServiceHealth;
  autoDiscover: boolean;
  ports: ConsolePortView[];
  warnings: string[];
}

export interface ConsolesOptions {
  config: ConsoleConfig;
  catalog: CatalogNamespace;
  log: Logger;
  /** <data>/console: logs go to <dataDir>/logs. */
  dataDir: string;
  /** Where getty pty links go. */
  runtimeDir: string;
  /** /dev/serial, or a stand-in folder in tests. */
  serialRoot?: string;
  binding?: BindingInterface;
}

const POWER_HISTORY = 20;

/**
 * The console service's working parts: one ConsolePort per configured port and, with
 * autoDiscover, per adapter that shows up under /dev/serial (now or later: the folder is watched);
 * a TCP listener for ports that ask for one; the port registry and power history in the catalog.
 */
export class Consoles {
  readonly #options: ConsolesOptions;
  readonly #ports = new Map<string, ConsolePort>();
  readonly #tcp: TcpAttach[] = [];
  readonly #watches: PathWatch[] = [];
  #warnings: string[] = [];
  #isStopped = false;
  #scanning: Promise<void> = Promise.resolve();
  #registryUpdates: Promise<void> = Promise.resolve();

  constructor(options: ConsolesOptions) {
    this.#options = options;
  }

  async start(): Promise<void> {
    const { config, log } = this.#options;
    for (const [name, portConfig] of Object.entries(config.ports)) {
      await this.#addPort(name, portConfig, false);
    }
    for (const [name, portConfig] of Object.entries(config.ports)) {
      if (!portConfig.tcp) continue;
      const tcp = new TcpAttach({
        port: this.#ports.get(name)!,
        listen: portConfig.tcp.listen,
        tcpPort: portConfig.tcp.port,
        log,
      });
      await tcp.start();
      this.#tcp.push(tcp);
    }
    if (config.autoDiscover) {
      await this.#discover();
      const root = this.#serialRoot();
      for (const sub of ["by-id", "by-path"]) {
        this.#watches.push(new PathWatch(join(root, sub, "*"), () => this.#rediscover()));
      }
    }
  }

  async stop(): Promise<void> {
    this.#isStopped = true;
    for (const watch of this.#watches) watch.close();
    await this.#scanning;
    await Promise.all(this.#tcp.map((tcp) => tcp.stop()));
    await Promise.all([...this.#ports.values()].map((port) => port.stop()));
    await this.#registryUpdates;
    this.#ports.clear();
  }

  port(name: string): ConsolePort | undefined {
    return this.#ports.get(name);
  }

  /** Power through the port's driver; the outcome is kept in the catalog's power history. */
  async power(port: ConsolePort, action: PowerAction, who: string): Promise<void> {
    const record = (ok: boolean, error?: string) =>
      this.#recordPower(port.name, {
        action,
        who,
        at: Date.now(),
        ok,
        ...(error ? { error } : {}),
      });
    try {
      await port.power(action, who);
      await record(true);
    } catch (err) {
      await record(false, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  status(): ConsolesStatus {
    return {
      health: this.health(),
      autoDiscover: this.#options.config.autoDiscover,
      ports: [...this.#ports.values()].map((p) => p.view()),
      warnings: this.#warnings,
    };
  }

  /** Degraded when a configured port cannot be used; adapters found by discovery may come and go. */
  health(): ServiceHealth {
    const views = [...this.#ports.values()].map((p) => p.view());
    const open = views.filter((v) => v.state === "open").length;
    const details = { ports: views.length, open };
    const troubled = views.filter(
      (v) => !v.isDiscovered && v.state !== "open" && v.state !== "opening",
    );
    if (troubled.length === 0) return { state: "ok", details };
    return {
      state: "degraded",
      reason: troubled
        .map((v) => `${v.name}: ${v.state}${v.detail ? ` (${v.detail})` : ""}`)
        .join("; "),
      fix: "Plug the adapter in (the port reopens by itself), close the program holding it, or fix its path in the config.",
      details,
    };
  }

  async #addPort(name: string, config: ConsolePortConfig, isDiscovered: boolean): Promise<void> {
    const { log, dataDir, runtimeDir, binding } = this.#options;
    const port = new ConsolePort({
      name,
      config,
      isDiscovered,
      logDir: join(dataDir, "logs"),
      runtimeDir,
      log,
      ...(binding ? { binding } : {}),
      onChange: () => this.#queueRemember(name, config.path),
    });
    this.#ports.set(name, port);
    await port.start();
  }

  #serialRoot(): string {
    return this.#options.serialRoot ?? "/dev/serial";
  }

  #rediscover(): void {
    if (this.#isStopped) return;
    this.#scanning = this.#scanning.then(() => this.#discover());
  }

  /** Adapters not named in the config get a console of their own, with default settings. */
  async #discover(): Promise<void> {
    if (this.#isStopped) return;
    const scan = await scanSerialDevices(this.#serialRoot());
    this.#warnings = scan.warnings;
    const claimed = new Set<string>();
    for (const port of this.#ports.values()) {
      const path = port.view().path;
      claimed.add(path);
      const device = await realpath(path).catch(() => undefined);
      if (device) claimed.add(device);
    }
    for (const device of scan.devices) {
      if (this.#isStopped) return;
      if (claimed.has(device.link) || claimed.has(device.device)) continue;
      let name = device.name;
      for (let n = 2; this.#ports.has(name); n++) name = `${device.name}-${n}`;
      this.#options.log.info(
        { port: name, path: device.link },
        `serial adapter found: console "${name}" on ${device.link}`,
      );
      await this.#addPort(name, consolePortSchema.parse({ path: device.link }), true);
      claimed.add(device.link);
      claimed.add(device.device);
    }
    for (const warning of scan.warnings) this.#options.log.warn(warning);
  }

  /**
   * One registry update at a time: two that overlap (the port opens, a client attaches) would both
   * read "not known yet" and both write.
   */
  #queueRemember(name: string, path: string): void {
    this.#registryUpdates = this.#registryUpdates
      .then(() => this.#remember(name, path))
      .catch((err: unknown) =>
        this.#options.log.warn({ err, port: name }, "console port registry not saved"),
      );
  }

  /** The port registry: which link a name was last seen on. Written only when that changes. */
  async #remember(name: string, path: string): Promise<void> {
    const port = this.#ports.get(name);
    if (!port || port.state.state !== "open") return;
    const device = await realpath(path).catch(() => undefined);
    const key = `port/${name}`;
    const known = await this.#options.catalog.get<{ path: string; device?: string }>(key);
    if (known?.path === path && known.device === device) return;
    await this.#options.catalog
      .put(key, { path, device, firstOpenedAt: Date.now() })
      .catch((err: unknown) => this.#options.log.warn({ err }, "console port registry not saved"));
  }

  async #recordPower(name: string, entry: Record<string, unknown>): Promise<void> {
    const key = `power/${name}`;
    const history = (await this.#options.catalog.get<unknown[]>(key)) ?? [];
    await this.#options.catalog
      .put(key, [...history, entry].slice(-POWER_HISTORY))
      .catch((err: unknown) => this.#options.log.warn({ err }, "power history not saved"));
  }
}
