import type { Logger } from "pino";
import { describeError } from "../../services/errors.js";
import type { ServiceHealth } from "../../services/host/service.js";
import type { MailboxState, MailboxStateListener } from "./voicemail-source.js";

/**
 * The bookkeeping every voicemail source shares: the last count, its listeners, and whether the
 * source is up. Sources call `counted` after each successful count and `down` after each failed
 * attempt; this class turns those into change events, health and one log line per transition
 * (a source that stays down for hours logs once, not once per retry).
 */
export class SourceStatus {
  readonly #log: Logger;
  readonly #listeners = new Set<MailboxStateListener>();
  #state: MailboxState | undefined;
  #problem: { reason: string; fix: string } | undefined = {
    reason: "has not counted yet",
    fix: "Wait a moment: the source is starting.",
  };
  #hasBeenUp = false;
  #lastCountedAt: string | undefined;
  readonly #details: () => Record<string, unknown>;

  constructor(log: Logger, details: () => Record<string, unknown> = () => ({})) {
    this.#log = log;
    this.#details = details;
  }

  state(): MailboxState | undefined {
    return this.#state;
  }

  isUp(): boolean {
    return this.#problem === undefined;
  }

  onChange(listener: MailboxStateListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Records a successful full count; notifies listeners when it differs from the last one. */
  counted(state: MailboxState): void {
    if (this.#problem !== undefined) {
      if (this.#hasBeenUp) this.#log.info({ ...state }, "voicemail source is back; counted again");
      else this.#log.info({ ...state }, "voicemail source counted its mailbox");
    }
    this.#problem = undefined;
    this.#hasBeenUp = true;
    this.#lastCountedAt = new Date().toISOString();
    const previous = this.#state;
    if (previous && previous.new === state.new && previous.old === state.old) return;
    this.#state = { new: state.new, old: state.old };
    this.#log.debug({ ...state, previous }, "voicemail count changed");
    for (const listener of this.#listeners) {
      try {
        listener(this.#state, previous);
      } catch (err) {
        // A broken listener (another part of pbx) must not stop the count or the other lamps.
        this.#log.error({ err }, "a voicemail state listener threw; the others still ran");
      }
    }
  }

  /** Records a failed attempt; keeps the last count (the lamp stays as it was until recounted). */
  down(reason: string, fix: string, err?: unknown): void {
    const isNew = this.#problem?.reason !== reason;
    this.#problem = { reason, fix };
    if (isNew)
      this.#log.warn(
        { err: err === undefined ? undefined : describeError(err) },
        `voicemail source is down: ${reason}`,
      );
  }

  health(): ServiceHealth {
    const details = {
      ...this.#details(),
      ...(this.#state ? { new: this.#state.new, old: this.#state.old } : {}),
      ...(this.#lastCountedAt ? { lastCountedAt: this.#lastCountedAt } : {}),
    };
    if (this.#problem === undefined) return { state: "ok", details };
    return { state: "degraded", reason: this.#problem.reason, fix: this.#problem.fix, details };
  }
}
