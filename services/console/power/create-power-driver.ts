import { CommandPowerDriver } from "./command-power-driver.js";
import { GpioPowerDriver } from "./gpio-power-driver.js";
import type { GpiosetVersion } from "./gpioset-argv.js";
import { HttpPowerDriver } from "./http-power-driver.js";
import type { PowerConfig, PowerDriver } from "./power-driver.js";

/** Knobs for tests and unusual boxes; a port's config alone is enough in production. */
export interface PowerDriverOptions {
  /** gpio: the gpioset program; default "gpioset" from PATH. */
  gpiosetPath?: string;
  /** gpio: skip `gpioset --version` detection. */
  gpiosetVersion?: GpiosetVersion;
  /** command: per command; default 60 s. */
  commandTimeoutMs?: number;
  /** http: per request; default 10 s. */
  httpTimeoutMs?: number;
}

/**
 * The driver for a port's `power` config. Construction starts nothing: gpioset is detected and
 * spawned, commands run and URLs fetched only on `run`.
 */
export function createPowerDriver(
  config: PowerConfig,
  options: PowerDriverOptions = {},
): PowerDriver {
  switch (config.driver) {
    case "gpio":
      return new GpioPowerDriver(config, {
        gpiosetPath: options.gpiosetPath,
        version: options.gpiosetVersion,
      });
    case "command":
      return new CommandPowerDriver(config, { timeoutMs: options.commandTimeoutMs });
    case "http":
      return new HttpPowerDriver(config, { timeoutMs: options.httpTimeoutMs });
  }
}
