import { HearthError, describeError } from "../../errors.js";
import type { PowerAction, PowerDriver } from "./power-driver.js";

// The power folder's public face for the port: the control, its driver factory and the types.
export { createPowerDriver, type PowerDriverOptions } from "./create-power-driver.js";
export type { PowerAction, PowerConfig, PowerDriver } from "./power-driver.js";

/** Default gap between two power operations on one board (notes §4: at most one cycle per 10 s). */
export const DEFAULT_MIN_INTERVAL_MS = 10_000;

/** The outcome of a finished power operation. */
export interface PowerRecord {
  action: PowerAction;
  who: string;
  /** When it was asked for, by the `now` clock (ms). */
  at: number;
  ok: boolean;
  /** The failure's message when `ok` is false. */
  error?: string;
}

/** What a port gives its PowerControl: the driver (owned from then on) and where events go. */
export interface PowerControlOptions {
  driver: PowerDriver;
  /** Gap between the end of one operation and the next request; default 10 s. */
  minIntervalMs?: number;
  /**
   * Called with one line of text per event, for the port log: "power cycle by alice", then
   * "power cycle done" or "power cycle failed: …". Called synchronously; must not throw.
   */
  onEvent: (line: string) => void;
  /** Clock in ms; default Date.now. Tests inject their own. */
  now?: () => number;
}

/**
 * Power control of one board: runs one operation at a time on its driver, refuses requests while
 * one runs or within `minIntervalMs` after the last one ended (a relay and a board's supply are not
 * to be hammered from a dashboard button), reports each operation as port-log events and keeps
 * the last outcome for the dashboard. Owns its driver and closes it.
 */
export class PowerControl {
  readonly #driver: PowerDriver;
  readonly #minIntervalMs: number;
  readonly #onEvent: (line: string) => void;
  readonly #now: () => number;
  readonly #abort = new AbortController();
  #running: { action: PowerAction; who: string } | undefined;
  /** Settles (never rejects) when the running operation ends; close() waits on it. */
  #runningDone: Promise<void> | undefined;
  #last: PowerRecord | undefined;
  #lastEndedAt: number | undefined;
  #isClosed = false;

  constructor(options: PowerControlOptions) {
    this.#driver = options.driver;
    this.#minIntervalMs = options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
    this.#onEvent = options.onEvent;
    this.#now = options.now ?? Date.now;
  }

  /** True while an operation runs. */
  get busy(): boolean {
    return this.#running !== undefined;
  }

  /** The last finished operation, or undefined before the first. */
  get last(): PowerRecord | undefined {
    return this.#last === undefined ? undefined : { ...this.#last };
  }

  /**
   * Runs `action` for `who` (a user name, for the log). Resolves when the driver is done. Rejects
   * with a HearthError: E_PORT_BUSY saying when to retry if an operation runs or ended less than
   * `minIntervalMs` ago; the driver's error (naming the driver and the fix) if it fails;
   * E_NOT_RUNNING once closed.
   */
  request(action: PowerAction, who: string): Promise<void> {
    const refusal = this.#refusal(action);
    if (refusal !== undefined) return Promise.reject(refusal);
    this.#running = { action, who };
    const run = this.#run(action, who);
    // close() only needs to know when it ended; the requester gets the outcome from `run`.
    this.#runningDone = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Aborts a running operation (drivers then leave the board powered), waits for it, closes the driver. */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#abort.abort(new HearthError("E_NOT_RUNNING", "power control is closing"));
    await this.#runningDone;
    await this.#driver.close();
  }

  async #run(action: PowerAction, who: string): Promise<void> {
    const at = this.#now();
    let failure: HearthError | undefined;
    try {
      this.#onEvent(`power ${action} by ${who}`);
      await this.#driver.run(action, this.#abort.signal);
    } catch (err) {
      failure = this.#asFailure(action, err);
    }
    this.#running = undefined;
    this.#lastEndedAt = this.#now();
    this.#last = { action, who, at, ok: failure === undefined };
    if (failure !== undefined) this.#last.error = failure.message;
    this.#onEvent(
      failure === undefined
        ? `power ${action} done`
        : failure.code === "E_NOT_RUNNING"
          ? failure.message
          : `power ${action} failed: ${failure.message}`,
    );
    if (failure !== undefined) throw failure;
  }

  #refusal(action: PowerAction): HearthError | undefined {
    if (this.#isClosed)
      return new HearthError("E_NOT_RUNNING", `power ${action} refused: hearth is stopping`, {
        fix: "Ask again once hearth is running.",
      });
    const intervalS = Math.ceil(this.#minIntervalMs / 1000);
    if (this.#running !== undefined) {
      const { action: runningAction, who } = this.#running;
      return new HearthError(
        "E_PORT_BUSY",
        `power ${action} refused: power ${runningAction} by ${who} is still running; try again ${intervalS} s after it is done`,
        { fix: "Wait for the running power operation to finish; one board runs one at a time." },
      );
    }
    if (this.#lastEndedAt === undefined) return undefined;
    const waitMs = this.#lastEndedAt + this.#minIntervalMs - this.#now();
    if (waitMs <= 0) return undefined;
    const waitS = Math.ceil(waitMs / 1000);
    return new HearthError(
      "E_PORT_BUSY",
      `power ${action} refused: the last power operation ended less than ${intervalS} s ago; try again in ${waitS} s`,
      {
        fix: `Power operations on one board are at least ${intervalS} s apart; wait ${waitS} s and ask again.`,
      },
    );
  }

  #asFailure(action: PowerAction, err: unknown): HearthError {
    // A driver failure wins over the abort: an aborted cycle whose closing "on" failed left the
    // board off, and that is what the user must read.
    if (err instanceof HearthError && err.code !== "E_NOT_RUNNING") return err;
    if (this.#abort.signal.aborted)
      return new HearthError("E_NOT_RUNNING", `power ${action} aborted: hearth is stopping`, {
        fix: "Check the board's power and ask again once hearth is running.",
        cause: err,
      });
    return new HearthError(
      "E_PEER_DOWN",
      `${this.#driver.kind} power driver: ${describeError(err)}`,
      {
        fix: `Check the ${this.#driver.kind} power settings of this port.`,
        cause: err,
      },
    );
  }
}
