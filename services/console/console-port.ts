import type { BindingInterface } from "@serialport/bindings-cpp";
import type { Logger } from "pino";
import { HearthError, describeError } from "../errors.js";
import type { ConsolePortConfig } from "./config-schema.js";
import { GettyBridge, gettyUnitName } from "./getty/getty-bridge.js";
import { gettyLinkPath } from "./getty/getty-unit-name.js";
import { SerialLine, type LineStateChange } from "./line/serial-line.js";
import { PortLog } from "./log/port-log.js";
import { createPowerDriver } from "./power/create-power-driver.js";
import { PowerControl, type PowerAction } from "./power/power-control.js";
import {
  ConsoleSessions,
  type AttachMode,
  type ConsoleClient,
  type SessionRole,
  type SessionView,
} from "./session/console-sessions.js";
import { ReplayBuffer } from "./session/replay-buffer.js";

/** One console as the API, the CLI and the dashboard show it. */
export interface ConsolePortView {
  name: string;
  path: string;
  mode: ConsolePortConfig["mode"];
  /** Found under /dev/serial/by-id or by-path rather than named in the config. */
  isDiscovered: boolean;
  state: LineStateChange["state"];
  detail?: string;
  settings: string;
  tcp?: { listen: string; port: number };
  clients: SessionView[];
  writer?: string;
  lastLines: string[];
  log?: { path: string };
  power?: {
    driver: string;
    isBusy: boolean;
    last?: { action: string; who: string; at: number; ok: boolean; error?: string };
  };
  getty?: { unit: string; pty?: string };
}

export interface ConsolePortOptions {
  name: string;
  config: ConsolePortConfig;
  isDiscovered: boolean;
  logDir: string;
  /** Where the getty pty link goes (/run/hearth when systemd gave a runtime dir). */
  runtimeDir: string;
  log: Logger;
  binding?: BindingInterface;
  /** Something people see changed (state, clients); the service may tell the dashboard. */
  onChange?: () => void;
}

const REPLAY_BYTES = 64 * 1024;

/**
 * One serial console: the line held open, its always-on log, the replay of recent output, the
 * attached clients and the board's power switch. Output goes to the replay, the log and every
 * client as it is read (no batching on the way to a client); input comes only from the writer.
 *
 * In getty mode the roles turn around: a login prompt of this box runs on a pty bridged to the
 * port, so the port's input goes to agetty and agetty's output goes to the port. Clients watch
 * what the terminal at the other end sees (typed passwords are not echoed, so they are neither
 * logged nor shown) and cannot type into someone's login session.
 */
export class ConsolePort {
  readonly name: string;
  readonly #options: ConsolePortOptions;
  readonly #line: SerialLine;
  readonly #replay = new ReplayBuffer(REPLAY_BYTES);
  readonly #sessions: ConsoleSessions;
  readonly #log: PortLog | undefined;
  readonly #power: PowerControl | undefined;
  readonly #getty: GettyBridge | undefined;

  constructor(options: ConsolePortOptions) {
    this.name = options.name;
    this.#options = options;
    const config = options.config;
    this.#log = config.log.enabled
      ? new PortLog({
          dir: options.logDir,
          name: options.name,
          maxBytes: config.log.maxBytes,
          generations: config.log.generations,
          onError: (err) =>
            options.log.warn(
              { err, port: options.name },
              "console log cannot be written; output is still shown live",
            ),
        })
      : undefined;
    this.#sessions = new ConsoleSessions({ onEvent: (text) => this.#event(text) });
    this.#line = new SerialLine({
      path: config.path,
      settings: config,
      binding: options.binding,
      onData: (bytes) => this.#fromLine(bytes),
      onState: (change) => this.#lineState(change),
    });
    this.#power = config.power
      ? new PowerControl({
          driver: createPowerDriver(config.power),
          onEvent: (text) => this.#event(text),
        })
      : undefined;
    this.#getty =
      config.mode === "getty"
        ? new GettyBridge({
            name: options.name,
            linkPath: gettyLinkPath(options.name, options.runtimeDir),
            onData: (bytes) => this.#fromGetty(bytes),
            log: options.log,
          })
        : undefined;
  }

  async start(): Promise<void> {
    if (this.#getty) await this.#getty.start();
    this.#line.start();
  }

  async stop(): Promise<void> {
    this.#sessions.closeAll("hearth is stopping");
    await this.#line.stop();
    await this.#getty?.stop();
    await this.#power?.close();
    await this.#log?.close();
  }

  /**
   * Adds a client: it first gets the replay (what the board said while nobody watched), then the
   * line's state if it is not open, then live output.
   */
  attach(client: ConsoleClient, mode: AttachMode): SessionRole {
    const replay = this.#replay.snapshot();
    if (replay.length > 0) client.send(replay);
    const { state, detail } = this.#line.state;
    if (state !== "open")
      client.notice(`port ${this.name} is ${state}${detail ? `: ${detail}` : ""}`);
    if (this.#getty) client.notice(`${this.name} is a login console: watching only`);
    const role = this.#sessions.attach(client, this.#getty ? "ro" : mode);
    this.#options.onChange?.();
    return role;
  }

  detach(client: ConsoleClient, reason?: string): void {
    this.#sessions.detach(client, reason);
    this.#options.onChange?.();
  }

  /** True when the client holds the write lock (keystrokes and breaks reach the board). */
  isWriter(client: ConsoleClient): boolean {
    return this.#sessions.isWriter(client);
  }

  /** Keystrokes from a client: to the board if it is the writer, else dropped. */
  input(client: ConsoleClient, bytes: Buffer): boolean {
    if (this.#getty || !this.#sessions.isWriter(client)) return false;
    return this.#line.write(bytes);
  }

  /** A client changes its own role (force, spectate, attach rw). */
  request(client: ConsoleClient, mode: AttachMode): SessionRole | undefined {
    const role = this.#sessions.request(client, this.#getty ? "ro" : mode);
    this.#options.onChange?.();
    return role;
  }

  /** A timed serial break, logged; rejects with a reason people can act on. */
  async sendBreak(who: string): Promise<void> {
    const ms = this.#options.config.breakMs;
    try {
      await this.#line.sendBreak(ms);
      this.#event(`break (${ms} ms) sent by ${who}`);
    } catch (err) {
      // bindings-cpp's messages already start with "Error: ".
      const why = describeError(err).replace(/^Error: /, "");
      this.#event(`break by ${who} failed: ${why}`);
      throw new HearthError("E_USAGE", `cannot send a break on ${this.name}: ${why}`, {
        cause: err,
        fix: "Breaks need a real serial adapter that is plugged in; pseudo-terminals have none.",
      });
    }
  }

  /** Power on/off/cycle through the configured driver (serialised and rate-limited there). */
  async power(action: PowerAction, who: string): Promise<void> {
    if (!this.#power)
      throw new HearthError("E_USAGE", `port ${this.name} has no power control`, {
        fix: `Add console.ports.${this.name}.power to the config (gpio, command or http).`,
      });
    try {
      await this.#power.request(action, who);
    } finally {
      this.#options.onChange?.();
    }
  }

  view(): ConsolePortView {
    const config = this.#options.config;
    const { state, detail } = this.#line.state;
    const clients = this.#sessions.list();
    const writer = clients.find((c) => c.role === "writer")?.who;
    return {
      name: this.name,
      path: config.path,
      mode: config.mode,
      isDiscovered: this.#options.isDiscovered,
      state,
      ...(detail ? { detail } : {}),
      settings: `${config.baud} ${config.dataBits}${config.parity[0]!.toUpperCase()}${config.stopBits}${config.flowControl === "none" ? "" : ` ${config.flowControl}`}`,
      ...(config.tcp ? { tcp: { listen: config.tcp.listen, port: config.tcp.port } } : {}),
      clients,
      ...(writer ? { writer } : {}),
      lastLines: this.#replay.lastLines(10),
      ...(this.#log ? { log: { path: this.#log.path } } : {}),
      ...(this.#power
        ? {
            power: {
              driver: config.power!.driver,
              isBusy: this.#power.busy,
              ...(this.#power.last ? { last: this.#power.last } : {}),
            },
          }
        : {}),
      ...(this.#getty
        ? {
            getty: {
              unit: gettyUnitName(this.name),
              ...(this.#getty.ptyPath ? { pty: this.#getty.ptyPath } : {}),
            },
          }
        : {}),
    };
  }

  get state(): LineStateChange {
    return this.#line.state;
  }

  #fromLine(bytes: Buffer): void {
    if (this.#getty) {
      // The terminal at the far end typing: for agetty only (it echoes what should be seen).
      this.#getty.write(bytes);
      return;
    }
    this.#output(bytes);
  }

  #fromGetty(bytes: Buffer): void {
    this.#line.write(bytes);
    this.#output(bytes);
  }

  #output(bytes: Buffer): void {
    this.#replay.append(bytes);
    this.#log?.write(bytes);
    this.#sessions.broadcast(bytes);
  }

  #lineState(change: LineStateChange): void {
    const text = lineStateText(this.#options.config.path, change);
    if (text) {
      this.#event(text);
      const level = change.state === "open" ? "info" : "warn";
      this.#options.log[level]({ port: this.name, state: change.state }, text);
    }
    this.#options.onChange?.();
  }

  #event(text: string): void {
    this.#log?.event(text);
    this.#sessions.notice(text);
  }
}

/** The sentence logged and shown to clients for a line state change; none for passing states. */
function lineStateText(path: string, change: LineStateChange): string | undefined {
  const detail = change.detail ? `: ${change.detail}` : "";
  switch (change.state) {
    case "open":
      return `port open (${path})${detail}`;
    case "unplugged":
      return `serial adapter unplugged${detail}`;
    case "absent":
      return `serial adapter not present${detail}`;
    case "busy":
    case "failed":
      return `port ${change.state}${detail}`;
    default:
      return undefined;
  }
}
