import { describeError } from "../../errors.js";
import { offWaitOn } from "./off-wait-on.js";
import type { CommandPowerConfig, PowerAction, PowerDriver } from "./power-driver.js";
import { powerError } from "./power-error.js";
import { describeOutcome, runProcess } from "./run-process.js";

/** A relay command that has not finished in a minute is hung (a USB relay tool waiting for a device). */
export const COMMAND_TIMEOUT_MS = 60_000;

/** Overrides for tests; the config alone is enough in production. */
export interface CommandPowerDriverOptions {
  /** Per command; default COMMAND_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * The user's own shell commands (USB relay boards, smart plugs via their CLI, uhubctl), run with
 * /bin/sh -c as the hearth user. `cycle` runs the `cycle` command when configured, else off,
 * waits cycleSeconds, on.
 */
export class CommandPowerDriver implements PowerDriver {
  readonly kind = "command" as const;
  readonly #config: CommandPowerConfig;
  readonly #timeoutMs: number;

  constructor(config: CommandPowerConfig, options: CommandPowerDriverOptions = {}) {
    this.#config = config;
    this.#timeoutMs = options.timeoutMs ?? COMMAND_TIMEOUT_MS;
  }

  async run(action: PowerAction, signal: AbortSignal): Promise<void> {
    const { on, off, cycle, cycleSeconds } = this.#config;
    if (action === "on") return this.#sh(on, signal);
    if (action === "off") return this.#sh(off, signal);
    if (cycle !== undefined) return this.#sh(cycle, signal);
    return offWaitOn({
      off: (s) => this.#sh(off, s),
      on: (s) => this.#sh(on, s),
      waitMs: cycleSeconds * 1000,
      signal,
    });
  }

  async close(): Promise<void> {
    // Nothing is held between commands; a running one is ended through its abort signal.
  }

  async #sh(command: string, signal: AbortSignal): Promise<void> {
    const timeoutMs = this.#timeoutMs;
    const outcome = await runProcess("/bin/sh", ["-c", command], {
      signal,
      timeoutMs,
      isProcessGroup: true,
    }).catch((err: unknown) => {
      if (signal.aborted) throw err;
      throw powerError("command", `cannot start /bin/sh: ${describeError(err)}`, FIX, err);
    });
    if (outcome.code === 0 && !outcome.isTimedOut) return;
    throw powerError("command", `\`${command}\` ${describeOutcome(outcome, timeoutMs)}`, FIX);
  }
}

const FIX =
  "Run the command by hand as the hearth user (sudo -u hearth sh -c '…') to see why, then fix power.on/off/cycle.";
