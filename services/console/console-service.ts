import type { BindingInterface } from "@serialport/bindings-cpp";
import type { Service, ServiceContext, ServiceHealth } from "../host/service.js";
import type { ConsoleConfig } from "./config-schema.js";
import { consolePageRoutes } from "./console-page-routes.js";
import { consoleRoutes } from "./console-routes.js";
import type { Consoles } from "./consoles.js";

/**
 * The serial console service (catalog namespace `console`): every configured port, and with
 * autoDiscover every adapter under /dev/serial, held open and logged; attach over TCP, the
 * dashboard's terminal and the CLI; break; board power. An unplugged or busy port makes it
 * degraded, never failed: the other ports keep logging and the port reopens by itself.
 */
export class ConsoleService implements Service<ConsoleConfig> {
  readonly name = "console";
  readonly #serialRoot: string | undefined;
  readonly #binding: BindingInterface | undefined;
  #consoles: Consoles | undefined;

  /** `serialRoot` and `binding` stand in for /dev/serial and the OS in tests. */
  constructor(options: { serialRoot?: string; binding?: BindingInterface } = {}) {
    this.#serialRoot = options.serialRoot;
    this.#binding = options.binding;
  }

  async start(ctx: ServiceContext<ConsoleConfig>): Promise<void> {
    // Loaded on start: the serial binding is native code a box without consoles need not load.
    const { Consoles } = await import("./consoles.js");
    const consoles = new Consoles({
      config: ctx.config,
      catalog: ctx.catalog,
      log: ctx.log,
      dataDir: ctx.dataDir,
      runtimeDir: process.env.RUNTIME_DIRECTORY?.split(":")[0] || ctx.dataDir,
      ...(this.#serialRoot ? { serialRoot: this.#serialRoot } : {}),
      ...(this.#binding ? { binding: this.#binding } : {}),
    });
    try {
      await consoles.start();
    } catch (err) {
      await consoles.stop();
      throw err;
    }
    this.#consoles = consoles;
    consoleRoutes(ctx.http, consoles);
    consolePageRoutes(ctx.http, consoles);
    const { ports } = consoles.status();
    ctx.log.info(
      { ports: ports.map((p) => p.name) },
      ports.length === 0
        ? "no serial adapters yet; consoles appear when adapters are plugged in"
        : `serial consoles: ${ports.map((p) => `${p.name} (${p.state})`).join(", ")}`,
    );
  }

  async stop(): Promise<void> {
    await this.#consoles?.stop();
    this.#consoles = undefined;
  }

  health(): ServiceHealth {
    return this.#consoles?.health() ?? { state: "failed", reason: "not started" };
  }
}
