import { connect, type Socket } from "node:net";
import type { Logger } from "pino";
import { describeError } from "../../services/errors.js";
import { AmiError } from "./ami-error.js";
import { DEFAULT_AMI_BACKOFF, reconnectDelayMs, type AmiBackoffPolicy } from "./ami-backoff.js";
import { encodeAction, type AmiFieldValue, type AmiMessage } from "./ami-message.js";
import { AmiParser, type AmiParserLimits } from "./ami-parser.js";
import { AmiPendingActions, type AmiActionResult, type AmiSendOptions } from "./ami-pending.js";
import { Listeners } from "./listeners.js";

/** How to reach and keep the AMI session. Intervals are options so tests can shrink them. */
export interface AmiClientOptions {
  host: string;
  port: number;
  username: string;
  /** Sent only in the Login action; never logged. */
  secret: string;
  /** Event classes to receive (manager.conf `read=`); `system,call` covers registrations, calls, MWI. */
  events?: string;
  /** Keepalive Ping period; a Ping without answer in {@link pingTimeoutMs} means a dead link. */
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  /** Default per-action timeout. */
  actionTimeoutMs?: number;
  connectTimeoutMs?: number;
  backoff?: AmiBackoffPolicy;
  /** Wait after a refused login: a wrong secret does not fix itself, so do not hammer the PBX. */
  authRetryMs?: number;
  limits?: Partial<AmiParserLimits>;
  /** Jitter source, for tests. */
  random?: () => number;
  log: Logger;
}

/** Where the link is. */
export type AmiLinkState =
  "stopped" | "connecting" | "logging-in" | "ready" | "auth-failed" | "down";

/** Link facts for health(): cheap to read, no secrets. */
export interface AmiLinkStatus {
  state: AmiLinkState;
  /** Last problem in one sentence (absent while ready after a clean start). */
  reason?: string;
  /** Completed logins since start; > 1 means the link was re-established. */
  logins: number;
  /** Lines or messages dropped as malformed since start. */
  malformed: number;
}

/**
 * One reconnecting AMI session. `start()` returns at once and keeps (re)connecting until `stop()`:
 * login, keepalive Ping, capped exponential backoff with jitter, a slow retry after a refused login.
 * After every successful login it fires `onReady`: events seen before a gap cannot be trusted, so
 * users re-read and re-push their state there (field notes §1(a)).
 */
export class AmiClient {
  readonly #options: Required<Omit<AmiClientOptions, "limits">> & {
    limits: Partial<AmiParserLimits>;
  };
  readonly #log: Logger;
  readonly #pending = new AmiPendingActions();
  readonly #ready: Listeners<void>;
  readonly #events: Listeners<AmiMessage>;
  readonly #parser: AmiParser;
  #socket: Socket | undefined;
  #state: AmiLinkState = "stopped";
  #reason: string | undefined;
  #attempt = 0;
  #logins = 0;
  #malformed = 0;
  #malformedWarned = false;
  #nextId = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #pingTimer: NodeJS.Timeout | undefined;

  constructor(options: AmiClientOptions) {
    this.#options = {
      events: "system,call",
      pingIntervalMs: 20_000,
      pingTimeoutMs: 10_000,
      actionTimeoutMs: 10_000,
      connectTimeoutMs: 10_000,
      backoff: DEFAULT_AMI_BACKOFF,
      authRetryMs: 5 * 60_000,
      random: Math.random,
      limits: {},
      ...options,
    };
    this.#log = options.log;
    this.#ready = new Listeners(this.#log, "AMI ready");
    this.#events = new Listeners(this.#log, "AMI event");
    this.#parser = new AmiParser(
      {
        onBanner: (text) => this.#log.debug({ banner: text }, "AMI banner received"),
        onMessage: (message) => this.#onMessage(message),
        onMalformed: (reason) => this.#onMalformed(reason),
      },
      this.#options.limits,
    );
  }

  get state(): AmiLinkState {
    return this.#state;
  }

  status(): AmiLinkStatus {
    return {
      state: this.#state,
      ...(this.#reason === undefined ? {} : { reason: this.#reason }),
      logins: this.#logins,
      malformed: this.#malformed,
    };
  }

  /** Called after every successful login (first connect and each reconnect). */
  onReady(listener: () => void): () => void {
    return this.#ready.add(listener);
  }

  /** Every event not consumed as part of an action's answer. */
  onEvent(listener: (event: AmiMessage) => void): () => void {
    return this.#events.add(listener);
  }

  /** Starts connecting; never throws, problems show in {@link status}. */
  start(): void {
    if (this.#state !== "stopped") return;
    this.#attempt = 0;
    this.#connect();
  }

  /** Logs off (best effort) and closes; pending actions fail with "disconnected". */
  async stop(): Promise<void> {
    this.#state = "stopped";
    clearTimeout(this.#retryTimer);
    clearInterval(this.#pingTimer);
    const socket = this.#socket;
    this.#socket = undefined;
    this.#pending.failAll("disconnected", "the AMI client was stopped");
    if (socket === undefined || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 1_000);
      socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end(encodeAction("Logoff", this.#newActionId()));
    });
  }

  /**
   * Sends one action and resolves with its answer (whole event list, or the completion event).
   * Rejects with {@link AmiError}: not-connected, rejected (Response: Error), timeout, disconnected.
   */
  send(
    action: string,
    fields: Readonly<Record<string, AmiFieldValue | undefined>> = {},
    options: AmiSendOptions = {},
  ): Promise<AmiActionResult> {
    if (this.#state !== "ready") {
      return Promise.reject(
        new AmiError("not-connected", `${action} not sent: the AMI link is ${this.#state}`),
      );
    }
    return this.#send(action, fields, options);
  }

  #send(
    action: string,
    fields: Readonly<Record<string, AmiFieldValue | undefined>>,
    options: AmiSendOptions,
  ): Promise<AmiActionResult> {
    const socket = this.#socket;
    if (socket === undefined) {
      return Promise.reject(new AmiError("not-connected", `${action} not sent: no AMI socket`));
    }
    const actionId = this.#newActionId();
    let wire: string;
    try {
      wire = encodeAction(action, actionId, fields);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const timeoutMs = options.timeoutMs ?? this.#options.actionTimeoutMs;
    const answer = this.#pending.wait(actionId, action, timeoutMs, options.completionEvent);
    socket.write(wire);
    return answer;
  }

  #newActionId(): string {
    this.#nextId += 1;
    return `hearth-${this.#nextId}`;
  }

  #connect(): void {
    this.#setState("connecting");
    const { host, port, connectTimeoutMs } = this.#options;
    const socket = connect({ host, port });
    this.#socket = socket;
    this.#parser.reset();
    this.#malformedWarned = false;
    socket.setNoDelay(true);
    socket.setTimeout(connectTimeoutMs, () => socket.destroy(new Error("connect timed out")));
    socket.on("connect", () => {
      socket.setTimeout(0);
      socket.setKeepAlive(true, 30_000);
      void this.#login(socket);
    });
    socket.on("data", (chunk: Buffer) => {
      if (socket === this.#socket) this.#parser.push(chunk);
    });
    socket.on("error", (err) => {
      if (socket === this.#socket)
        this.#reason = `cannot reach Asterisk AMI at ${host}:${port}: ${err.message}`;
    });
    socket.on("close", () => this.#onClose(socket));
  }

  async #login(socket: Socket): Promise<void> {
    this.#setState("logging-in");
    const { username, secret, events } = this.#options;
    try {
      await this.#send("Login", { Username: username, Secret: secret, Events: events }, {});
    } catch (err) {
      if (socket !== this.#socket) return;
      if (err instanceof AmiError && err.failure === "rejected") {
        this.#reason = `Asterisk refused the AMI login for user "${username}": ${err.amiMessage ?? "no reason given"}`;
        this.#log.warn(
          { user: username },
          `${this.#reason}; retrying in ${this.#options.authRetryMs / 1000} s`,
        );
        this.#setState("auth-failed");
      } else {
        this.#reason = `AMI login did not complete: ${describeError(err)}`;
      }
      socket.destroy();
      return;
    }
    if (socket !== this.#socket) return;
    this.#attempt = 0;
    this.#logins += 1;
    this.#reason = undefined;
    this.#setState("ready");
    this.#log.info({ host: this.#options.host, port: this.#options.port }, "AMI link is up");
    this.#startPing(socket);
    this.#ready.emit();
  }

  #startPing(socket: Socket): void {
    clearInterval(this.#pingTimer);
    this.#pingTimer = setInterval(() => {
      this.send("Ping", {}, { timeoutMs: this.#options.pingTimeoutMs }).catch((err: unknown) => {
        if (socket !== this.#socket) return;
        this.#reason = `the AMI link stopped answering Ping (${describeError(err)})`;
        this.#log.warn(`${this.#reason}; reconnecting`);
        socket.destroy();
      });
    }, this.#options.pingIntervalMs);
    this.#pingTimer.unref();
  }

  #onClose(socket: Socket): void {
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    clearInterval(this.#pingTimer);
    this.#pending.failAll("disconnected", "the AMI link closed before the answer came");
    if (this.#state === "stopped") return;
    const wasReady = this.#state === "ready";
    if (wasReady) {
      this.#reason ??= "Asterisk closed the AMI connection";
      this.#log.warn(`${this.#reason}; reconnecting`);
    }
    this.#attempt += 1;
    let delayMs = reconnectDelayMs(this.#options.backoff, this.#attempt, this.#options.random);
    if (this.#state === "auth-failed") delayMs = Math.max(delayMs, this.#options.authRetryMs);
    else this.#setState("down");
    this.#retryTimer = setTimeout(() => this.#connect(), delayMs);
    this.#retryTimer.unref();
  }

  #onMessage(message: AmiMessage): void {
    if (this.#pending.take(message)) return;
    if (message.event !== undefined) this.#events.emit(message);
  }

  #onMalformed(reason: string): void {
    this.#malformed += 1;
    // Once per connection at warn level: a broken peer must not flood the journal.
    if (this.#malformedWarned) {
      this.#log.debug({ reason }, "dropped malformed AMI input");
      return;
    }
    this.#malformedWarned = true;
    this.#log.warn(
      { reason },
      "dropped malformed AMI input; further drops on this connection at debug",
    );
  }

  #setState(state: AmiLinkState): void {
    if (state !== this.#state) this.#log.debug({ from: this.#state, to: state }, "AMI link state");
    this.#state = state;
  }
}
