import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as delay } from "node:timers/promises";
import { describeError } from "../../errors.js";
import { type GpiosetVersion, gpiosetArgv } from "./gpioset-argv.js";
import { detectGpiosetVersion } from "./gpioset-version.js";
import type { GpioPowerConfig, PowerAction, PowerDriver } from "./power-driver.js";
import { powerError } from "./power-error.js";
import { describeOutcome, runProcess } from "./run-process.js";

/**
 * gpioset exits at once when it cannot get the line (no chip, line busy, no permission); one
 * still running after this long holds it. gpioset 1.6 prints nothing on success to wait for.
 */
const HOLD_SETTLE_MS = 500;
/** A holder ignoring SIGTERM this long is killed: the line reverts either way. */
const RELEASE_GRACE_MS = 5_000;
/** A pulse that has not ended this long after its cycleSeconds is stuck and killed. */
const PULSE_SLACK_MS = 10_000;
const FIX_LINE =
  "Check power.chip and power.line (`gpioinfo` lists chips and lines) and that the hearth user may open /dev/gpiochip* (group gpio, etc/udev/60-hearth-serial.rules).";
const FIX_INSTALL = "Install libgpiod's tools: apt install gpiod";

/** Overrides for tests and unusual boxes; the config alone is enough in production. */
export interface GpioPowerDriverOptions {
  /** Default "gpioset" from PATH. */
  gpiosetPath?: string;
  /** Skip detection (tests, or a box whose gpioset prints an odd version). */
  version?: GpiosetVersion;
}

interface Holder {
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * A relay on a GPIO line, switched by spawning libgpiod's gpioset (never bindings: they compile
 * at install time). Wiring assumed: the relay's NC contacts in the board's supply, so energised =
 * board off. `cycle` is one gpioset pulse; `off` keeps a gpioset alive holding the line; `on`
 * kills it and the line reverts. close() does the same, so a stopping hearth powers boards on.
 */
export class GpioPowerDriver implements PowerDriver {
  readonly kind = "gpio" as const;
  readonly #config: GpioPowerConfig;
  readonly #gpiosetPath: string;
  #version: Promise<GpiosetVersion> | undefined;
  #holder: Holder | undefined;

  constructor(config: GpioPowerConfig, options: GpioPowerDriverOptions = {}) {
    this.#config = config;
    this.#gpiosetPath = options.gpiosetPath ?? "gpioset";
    if (options.version !== undefined) this.#version = Promise.resolve(options.version);
  }

  /** True while a gpioset holds the relay energised (board off). */
  get isHolding(): boolean {
    return this.#holder !== undefined;
  }

  async run(action: PowerAction, signal: AbortSignal): Promise<void> {
    const version = await this.#detectVersion();
    if (action === "off") return this.#hold(version, signal);
    if (action === "on") return this.#release();
    return this.#cycle(version, signal);
  }

  async close(): Promise<void> {
    await this.#release();
  }

  #detectVersion(): Promise<GpiosetVersion> {
    // Once per driver: gpioset does not change under a running hearth. A failure is forgotten
    // so that the next request tries again (the user may have installed gpiod meanwhile).
    this.#version ??= detectGpiosetVersion(this.#gpiosetPath).catch((err: unknown) => {
      this.#version = undefined;
      throw err;
    });
    return this.#version;
  }

  #argv(version: GpiosetVersion, mode: "pulse" | "hold"): string[] {
    const { chip, line, activeLow, cycleSeconds } = this.#config;
    return gpiosetArgv({ version, chip, line, activeLow, mode, seconds: cycleSeconds });
  }

  async #cycle(version: GpiosetVersion, signal: AbortSignal): Promise<void> {
    if (this.#holder !== undefined) {
      // Already off: keep it off for a cycle's length, then power on, as a cycle ends.
      await delay(this.#config.cycleSeconds * 1000, undefined, { signal });
      return this.#release();
    }
    const args = this.#argv(version, "pulse");
    const timeoutMs = this.#config.cycleSeconds * 1000 + PULSE_SLACK_MS;
    // An abort kills gpioset: the line reverts and the board gets its power back early.
    const outcome = await runProcess(this.#gpiosetPath, args, { signal, timeoutMs }).catch(
      (err: unknown) => {
        if (signal.aborted) throw err;
        throw powerError(
          "gpio",
          `cannot run ${this.#gpiosetPath}: ${describeError(err)}`,
          FIX_INSTALL,
          err,
        );
      },
    );
    if (outcome.code !== 0 || outcome.isTimedOut) {
      const what = `\`${this.#commandLine(args)}\` ${describeOutcome(outcome, timeoutMs)}`;
      throw powerError("gpio", what, FIX_LINE);
    }
  }

  async #hold(version: GpiosetVersion, signal: AbortSignal): Promise<void> {
    if (this.#holder !== undefined) return;
    const args = this.#argv(version, "hold");
    const child = spawn(this.#gpiosetPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr?.on(
      "data",
      (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)),
    );
    const startError = new Promise<Error>((resolve) => child.on("error", resolve));
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    const holder: Holder = { child, exited };
    this.#holder = holder;
    void exited.then(() => {
      if (this.#holder === holder) this.#holder = undefined;
    });
    const settled = await Promise.race([
      exited.then(() => "exited" as const),
      startError,
      delay(HOLD_SETTLE_MS, "held" as const, { signal }).catch(() => "aborted" as const),
    ]);
    if (settled === "held") return;
    await this.#release();
    if (settled === "aborted") throw signal.reason;
    if (settled instanceof Error)
      throw powerError(
        "gpio",
        `cannot run ${this.#gpiosetPath}: ${settled.message}`,
        FIX_INSTALL,
        settled,
      );
    const how =
      child.exitCode !== null
        ? `exited with ${child.exitCode}`
        : `was stopped by ${child.signalCode}`;
    const tail = stderr.trim().split("\n").slice(-3).join(" | ");
    throw powerError(
      "gpio",
      `\`${this.#commandLine(args)}\` ${how}${tail ? `: ${tail}` : ""}`,
      FIX_LINE,
    );
  }

  async #release(): Promise<void> {
    const holder = this.#holder;
    if (holder === undefined) return;
    // gpioset -m signal (1.x) and the default mode (2.x) release the line on SIGTERM and exit.
    holder.child.kill("SIGTERM");
    const timer = setTimeout(() => holder.child.kill("SIGKILL"), RELEASE_GRACE_MS);
    await holder.exited;
    clearTimeout(timer);
  }

  #commandLine(args: readonly string[]): string {
    return [this.#gpiosetPath, ...args].join(" ");
  }
}
