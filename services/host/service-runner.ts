import type { Logger } from "pino";
import { HearthError, describeError } from "../errors.js";
import { type BackoffPolicy, backoffDelayMs } from "./backoff.js";
import type { ServiceState, ServiceStatus } from "./host-status.js";
import type { Service, ServiceContext } from "./service.js";

export interface ServiceRunnerOptions {
  service: Service;
  title: string;
  log: Logger;
  backoff: BackoffPolicy;
  startTimeoutMs: number;
  /** Builds a fresh context for each start; `fail` routes to this runner. */
  makeContext(signal: AbortSignal, fail: (err: Error) => void): Promise<ServiceContext>;
  /** Runs `fn` so that async errors it causes are attributed to this service. */
  runAs<T>(fn: () => T): T;
  /** Called after every stop: drop the service's routes and bus listeners. */
  cleanup(): void;
  onChange(): void;
  pages(): Array<{ title: string; path: string }>;
  now?: () => number;
}

/**
 * Owns one service's lifecycle: start with a timeout, report faults, restart with capped backoff,
 * stop on shutdown. Never throws to the host: every failure becomes a state the dashboard shows.
 */
export class ServiceRunner {
  readonly #o: ServiceRunnerOptions;
  readonly #now: () => number;
  #state: ServiceState = "stopped";
  #reason: string | undefined;
  #fix: string | undefined;
  #since: number;
  #restarts = 0;
  #attempt = 0;
  #runningSince: number | undefined;
  #lastCrashAt: number | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #nextRestartAt: number | undefined;
  #abort: AbortController | undefined;
  #isShuttingDown = false;
  #stopping: Promise<void> | undefined;

  constructor(options: ServiceRunnerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#since = this.#now();
  }

  get name(): string {
    return this.#o.service.name;
  }

  /** First start; resolves when the service is up or has failed (and a restart is scheduled). */
  async start(): Promise<void> {
    this.#isShuttingDown = false;
    await this.#startOnce();
  }

  /** Reports a fault in a running service: stop it, then restart with backoff. */
  fail(err: Error): void {
    if (this.#isShuttingDown || (this.#state !== "ok" && this.#state !== "degraded")) return;
    this.#o.log.error({ err }, `${this.name} failed; restarting it`);
    void this.#stopService().then(() => this.#failed(err));
  }

  /** Stops for good (host shutdown). Resolves when stopped or when `signal` aborts. */
  async stop(signal: AbortSignal): Promise<void> {
    this.#isShuttingDown = true;
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    this.#nextRestartAt = undefined;
    if (this.#state === "off") return;
    await this.#stopService(signal);
    this.#set("stopped");
  }

  status(): ServiceStatus {
    const status: ServiceStatus = {
      name: this.name,
      title: this.#o.title,
      state: this.#state,
      since: new Date(this.#since).toISOString(),
      restarts: this.#restarts,
      pages: this.#o.pages(),
    };
    if (this.#state === "ok" || this.#state === "degraded") this.#applyHealth(status);
    else {
      if (this.#reason !== undefined) status.reason = this.#reason;
      if (this.#fix !== undefined) status.fix = this.#fix;
    }
    if (this.#nextRestartAt !== undefined)
      status.nextRestartAt = new Date(this.#nextRestartAt).toISOString();
    return status;
  }

  async #startOnce(): Promise<void> {
    this.#set("starting");
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const ctx = await this.#o.makeContext(abort.signal, (err) => this.fail(err));
      await this.#withTimeout(this.#o.runAs(() => this.#o.service.start(ctx)));
      if (abort.signal.aborted) return; // shut down while starting
      this.#runningSince = this.#now();
      this.#set("ok");
      if (this.#restarts > 0) this.#o.log.info(`${this.name} is running again`);
    } catch (err) {
      if (this.#isShuttingDown) return;
      const error = err instanceof Error ? err : new Error(String(err));
      const log = this.#attempt === 0 ? this.#o.log.error : this.#o.log.warn;
      log.call(
        this.#o.log,
        { err: error, attempt: this.#attempt + 1 },
        `${this.name} did not start`,
      );
      await this.#stopService();
      this.#failed(error);
    }
  }

  #failed(err: Error): void {
    if (this.#isShuttingDown) return;
    this.#reason = describeError(err);
    this.#fix = err instanceof HearthError ? err.fix : undefined;
    this.#lastCrashAt = this.#now();
    const ranLongEnough =
      this.#runningSince !== undefined &&
      this.#now() - this.#runningSince >= this.#o.backoff.resetAfterMs;
    this.#attempt = ranLongEnough ? 1 : this.#attempt + 1;
    this.#runningSince = undefined;
    const delay = backoffDelayMs(this.#o.backoff, this.#attempt);
    this.#nextRestartAt = this.#now() + delay;
    this.#set("failed");
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      this.#nextRestartAt = undefined;
      this.#restarts += 1;
      void this.#startOnce();
    }, delay);
    this.#restartTimer.unref();
  }

  /** Calls the service's stop once, bounded by `signal` (default 5 s), then cleans up. */
  #stopService(signal: AbortSignal = AbortSignal.timeout(5_000)): Promise<void> {
    if (this.#stopping) return this.#stopping;
    this.#abort?.abort();
    const stopping = (async () => {
      try {
        await raceAbort(this.#o.service.stop(signal), signal);
      } catch (err) {
        this.#o.log.warn({ err }, `${this.name} did not stop cleanly`);
      } finally {
        this.#o.cleanup();
        this.#stopping = undefined;
      }
    })();
    this.#stopping = stopping;
    return stopping;
  }

  #applyHealth(status: ServiceStatus): void {
    try {
      const health = this.#o.service.health();
      status.state = health.state;
      if (health.reason !== undefined) status.reason = health.reason;
      if (health.fix !== undefined) status.fix = health.fix;
      if (health.details !== undefined) status.details = health.details;
    } catch (err) {
      status.state = "degraded";
      status.reason = `its health check threw: ${describeError(err)}`;
    }
    // A service that recently crashed is shown degraded until it has been stable for a while.
    const recentCrash =
      this.#lastCrashAt !== undefined &&
      this.#now() - this.#lastCrashAt < this.#o.backoff.resetAfterMs;
    if (status.state === "ok" && recentCrash && this.#reason !== undefined) {
      status.state = "degraded";
      status.reason = `restarted after a failure: ${this.#reason}`;
    }
  }

  #withTimeout<T>(promise: Promise<T>): Promise<T> {
    const ms = this.#o.startTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new HearthError("E_START_TIMEOUT", `${this.name} did not finish starting in ${ms} ms`, {
              fix: "Check the log lines above for what it was waiting on.",
            }),
          ),
        ms,
      );
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }

  #set(state: ServiceState): void {
    if (state === "ok") this.#reason = this.#lastCrashAt === undefined ? undefined : this.#reason;
    this.#state = state;
    this.#since = this.#now();
    this.#o.onChange();
  }

  /** Marks the service deliberately not running (turned off or not part of this build). */
  setOff(reason: string, fix?: string): void {
    this.#reason = reason;
    this.#fix = fix;
    this.#set("off");
  }
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
