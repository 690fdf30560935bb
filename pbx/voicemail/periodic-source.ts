import type { Logger } from "pino";
import type { ServiceHealth } from "../../services/host/service.js";
import { SourceStatus } from "./source-status.js";
import type { MailboxState, MailboxStateListener, VoicemailSource } from "./voicemail-source.js";

/** Why one read failed, in words for the dashboard. */
export class SourceReadError extends Error {
  readonly fix: string;
  constructor(message: string, fix: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SourceReadError";
    this.fix = fix;
  }
}

/** Reads the count once. Rejects (ideally with SourceReadError) when it cannot; honours `signal`. */
export type ReadMailboxCount = (signal: AbortSignal) => Promise<MailboxState>;

export interface PeriodicSourceOptions {
  name: string;
  kind: string;
  read: ReadMailboxCount;
  /** Time between two successful reads. */
  intervalMs: number;
  /** First retry after a failure; doubles up to `intervalMs`. Default 30 s. */
  retryInitialMs?: number;
  log: Logger;
  details?: () => Record<string, unknown>;
}

/**
 * A source that reads its count on a timer (the command and http sources): one read at start,
 * then every `intervalMs`. A failed read makes the source degraded and is retried sooner, with a
 * doubling delay capped at the interval, so a script that fails once does not keep a lamp wrong
 * for a whole interval and one that always fails does not run more often than configured.
 * Reads never overlap.
 */
export class PeriodicSource implements VoicemailSource {
  readonly name: string;
  readonly kind: string;
  readonly #options: PeriodicSourceOptions;
  readonly #status: SourceStatus;
  #timer: NodeJS.Timeout | undefined;
  #abort: AbortController | undefined;
  #running: Promise<void> | undefined;
  #failures = 0;

  constructor(options: PeriodicSourceOptions) {
    this.name = options.name;
    this.kind = options.kind;
    this.#options = options;
    this.#status = new SourceStatus(options.log, options.details);
  }

  async start(): Promise<void> {
    if (this.#abort) return;
    this.#abort = new AbortController();
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort?.abort();
    this.#abort = undefined;
    await this.#running;
  }

  state(): MailboxState | undefined {
    return this.#status.state();
  }

  health(): ServiceHealth {
    return this.#status.health();
  }

  onChange(listener: MailboxStateListener): () => void {
    return this.#status.onChange(listener);
  }

  #schedule(delayMs: number): void {
    const abort = this.#abort;
    if (!abort || abort.signal.aborted) return;
    this.#timer = setTimeout(() => {
      this.#running = this.#readOnce(abort.signal).finally(() => (this.#running = undefined));
    }, delayMs);
    this.#timer.unref();
  }

  async #readOnce(signal: AbortSignal): Promise<void> {
    const { intervalMs, retryInitialMs = 30_000 } = this.#options;
    try {
      const state = await this.#options.read(signal);
      if (signal.aborted) return;
      this.#failures = 0;
      this.#status.counted(state);
      this.#schedule(intervalMs);
    } catch (err) {
      if (signal.aborted) return;
      this.#failures++;
      const fix =
        err instanceof SourceReadError
          ? err.fix
          : "Check the source's settings under pbx.voicemail.";
      const reason = err instanceof Error ? err.message : String(err);
      this.#status.down(reason, fix, err);
      this.#schedule(Math.min(intervalMs, retryInitialMs * 2 ** Math.min(this.#failures - 1, 20)));
    }
  }
}
