import type { ConsolePortConfig } from "../config-schema.js";

/**
 * What a user can ask of a board's power: `off` cuts it and keeps it cut, `on` restores it,
 * `cycle` cuts it for the configured `cycleSeconds` and restores it.
 */
export type PowerAction = "on" | "off" | "cycle";

/** `console.ports.<name>.power`, validated. */
export type PowerConfig = NonNullable<ConsolePortConfig["power"]>;
/** `power` with `driver: gpio`. */
export type GpioPowerConfig = Extract<PowerConfig, { driver: "gpio" }>;
/** `power` with `driver: command`. */
export type CommandPowerConfig = Extract<PowerConfig, { driver: "command" }>;
/** `power` with `driver: http`. */
export type HttpPowerConfig = Extract<PowerConfig, { driver: "http" }>;

/**
 * One way of switching a board's supply (a relay on a GPIO line, shell commands, a smart plug's
 * HTTP API). A driver does no queueing or rate limiting: PowerControl calls `run` one action at a
 * time. A driver holds no resource until its first `run`.
 */
export interface PowerDriver {
  readonly kind: "gpio" | "command" | "http";
  /**
   * Carries out one action; resolves once it is done (for `cycle`: once power is back). Rejects
   * with a HearthError that names the driver and says how to fix it. When `signal` aborts, the
   * driver stops waiting, leaves the board powered where it can, and rejects.
   */
  run(action: PowerAction, signal: AbortSignal): Promise<void>;
  /** Releases what the driver holds; a gpio relay held for `off` is released (board powered). */
  close(): Promise<void>;
}
