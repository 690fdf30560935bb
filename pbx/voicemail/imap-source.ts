import type { ImapFlow } from "imapflow";
import type { Logger } from "pino";
import { HearthError } from "../../services/errors.js";
import { backoffDelayMs } from "../../services/host/backoff.js";
import type { ServiceHealth } from "../../services/host/service.js";
import { countVoicemailNotices, type NoticeCache } from "./count-voicemail-notices.js";
import { describeImapFailure } from "./describe-imap-failure.js";
import { type ImapAuth, imapAuth, type ImapLogin, loginKind } from "./imap-login.js";
import { SourceStatus } from "./source-status.js";
import type {
  ClearableVoicemailSource,
  MailboxState,
  MailboxStateListener,
} from "./voicemail-source.js";

export type { ImapLogin } from "./imap-login.js";

/** The imap source's settings: the config entry with its login secret resolved. */
export type ImapSourceSettings = ImapLogin & {
  host: string;
  port: number;
  tls: boolean;
  user: string;
  mailbox: string;
  from: string;
  /** Only notices addressed to one of these count (see NoticeRule.to); absent: all. */
  to?: readonly string[] | undefined;
  pollMinutes: number;
};

export interface ImapSourceOptions {
  name: string;
  settings: ImapSourceSettings;
  log: Logger;
  /** Use IMAP IDLE when the server offers it (default). false: only poll. */
  useIdle?: boolean;
  /** Recount this often, with IDLE too (a missed notification then costs at most this). Default: pollMinutes. */
  pollIntervalMs?: number;
  /** Reconnect delays: doubling from initialMs up to maxMs. Default 2 s … 2 min. */
  reconnect?: { initialMs: number; maxMs: number };
  /** authserv-ids whose Authentication-Results are believed. Default: Gmail's `mx.google.com`. */
  trustedAuthservIds?: readonly string[];
}

/** Changes reported by IDLE come in bursts (EXISTS then FETCH); one recount covers a burst. */
const COALESCE_MS = 200;

/**
 * Counts unread Google Voice voicemail notices in an IMAP folder (see voicemail-notice.ts for
 * which mails count). One connection, kept open: IDLE tells it about new and changed mail, a
 * timer recounts every `pollIntervalMs` anyway, and every (re)connection starts with a full
 * recount. A lost or refused connection makes it degraded and it reconnects with capped backoff.
 */
export class ImapSource implements ClearableVoicemailSource {
  readonly name: string;
  readonly kind = "imap";
  readonly #options: ImapSourceOptions;
  readonly #status: SourceStatus;
  readonly #log: Logger;
  #stopping: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #client: ImapFlow | undefined;
  #cache: NoticeCache = new Map();
  #unreadUids: number[] = [];
  #isIdleOffered = false;
  #recount: { running: Promise<void> | undefined; again: boolean; timer?: NodeJS.Timeout } = {
    running: undefined,
    again: false,
  };

  constructor(options: ImapSourceOptions) {
    this.name = options.name;
    this.#options = options;
    this.#log = options.log;
    const { host, port, mailbox, to } = options.settings;
    this.#status = new SourceStatus(options.log, () => ({
      source: "imap",
      server: `${host}:${port}`,
      mailbox,
      login: loginKind(options.settings),
      ...(to ? { to } : {}),
      mode: this.#client?.usable
        ? this.#isIdleOffered && this.#useIdle()
          ? "idle"
          : "poll"
        : "disconnected",
    }));
  }

  async start(): Promise<void> {
    if (this.#stopping) return;
    const stopping = new AbortController();
    this.#stopping = stopping;
    this.#loop = this.#run(stopping.signal);
  }

  async stop(): Promise<void> {
    this.#stopping?.abort();
    this.#stopping = undefined;
    clearTimeout(this.#recount.timer);
    this.#client?.close();
    await this.#loop;
    this.#loop = undefined;
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

  /**
   * Sets \Seen on every genuine unread voicemail notice (the dashboard's "clear lamp"), then
   * recounts. Only notices this source counted are touched, never a forged one. Rejects with
   * E_PEER_DOWN when the server is not connected.
   */
  async markRead(): Promise<number> {
    const client = this.#client;
    if (!client?.usable || !this.#status.isUp())
      throw new HearthError("E_PEER_DOWN", `voicemail source ${this.name} is not connected`, {
        fix: "Wait until the source is connected again (see its health), then retry.",
      });
    try {
      await this.#recountNow();
      const uids = this.#unreadUids;
      if (uids.length > 0) await client.messageFlagsAdd(uids, ["\\Seen"], { uid: true });
      await this.#recountNow();
      return uids.length;
    } catch (err) {
      throw new HearthError(
        "E_PEER_DOWN",
        `voicemail source ${this.name} could not mark the notices read`,
        {
          cause: err,
          fix: "Check the source's health; hearth reconnects by itself, then retry.",
        },
      );
    }
  }

  /** Connects, counts and waits for the connection to end; again and again until stopped. */
  async #run(signal: AbortSignal): Promise<void> {
    const { initialMs, maxMs } = this.#options.reconnect ?? { initialMs: 2_000, maxMs: 120_000 };
    let attempt = 0;
    while (!signal.aborted) {
      const isCounted = await this.#session(signal);
      if (signal.aborted) return;
      attempt = isCounted ? 1 : attempt + 1;
      const delayMs = backoffDelayMs({ initialMs, maxMs, resetAfterMs: 0 }, attempt);
      await sleep(delayMs, signal);
    }
  }

  /** One connection's life. Resolves (never rejects) once it is over; true if it counted at least once. */
  async #session(signal: AbortSignal): Promise<boolean> {
    const { host, port, mailbox } = this.#options.settings;
    const where = { host, port, mailbox, login: loginKind(this.#options.settings) };
    const auth = this.#readAuth(where);
    if (auth === undefined) return false;
    const client = this.#newClient(await loadImapFlow(), auth);
    this.#client = client;
    this.#cache = new Map(); // a new connection counts from scratch: nothing carried over
    let lastError: unknown;
    client.on("error", (err: unknown) => (lastError = err)); // the 'close' that follows ends the session
    const closed = new Promise<void>((resolve) => client.once("close", () => resolve()));
    let isCounted = false;
    try {
      await client.connect();
      if (signal.aborted) return false;
      this.#isIdleOffered = client.capabilities.has("IDLE");
      await client.mailboxOpen(mailbox);
      for (const event of ["exists", "expunge", "flags"]) client.on(event, () => this.#soon());
      await this.#recountNow();
      isCounted = true;
      const every = setInterval(() => this.#soon(), this.#pollIntervalMs());
      await closed;
      clearInterval(every);
      if (!signal.aborted) {
        const why = describeImapFailure(lastError, where);
        this.#status.down(
          `lost the connection to ${host}:${port}: ${why.reason}`,
          why.fix,
          lastError,
        );
      }
    } catch (err) {
      if (!signal.aborted) {
        const why = describeImapFailure(err, where);
        this.#status.down(why.reason, why.fix, err);
      }
    } finally {
      client.removeAllListeners("exists").removeAllListeners("expunge").removeAllListeners("flags");
      client.close();
      // A late error from a closing socket has no one else to go to; the session is already over.
      client.on("error", () => undefined);
      if (this.#client === client) this.#client = undefined;
      clearTimeout(this.#recount.timer);
    }
    return isCounted;
  }

  /** The login for the next connection, or undefined (and degraded) when its secret cannot be read. */
  #readAuth(where: Parameters<typeof describeImapFailure>[1]): ImapAuth | undefined {
    try {
      return imapAuth(this.#options.settings);
    } catch (err) {
      // A token file being rewritten, a variable unset: say why; the caller retries with backoff.
      const why = describeImapFailure(err, where);
      this.#status.down(why.reason, why.fix, err);
      return undefined;
    }
  }

  #newClient(Imap: typeof ImapFlow, auth: ImapAuth): ImapFlow {
    const { host, port, tls } = this.#options.settings;
    const pollMs = this.#pollIntervalMs();
    return new Imap({
      host,
      port,
      secure: tls,
      auth,
      // imapflow's own log lines are off: hearth logs the source's state changes itself, and
      // nothing here can then ever print a credential.
      logger: false,
      disableAutoIdle: !this.#useIdle(),
      autoIdleDelay: 1_000,
      // RFC 2177 §3: re-issue IDLE well within the 30-minute inactivity timeout.
      maxIdleTime: 25 * 60_000,
      // Without IDLE nothing talks between polls; the connection must outlive the interval.
      ...(this.#useIdle() ? {} : { socketTimeout: pollMs + 60_000 }),
      connectionTimeout: 30_000,
      greetingTimeout: 16_000,
    });
  }

  #useIdle(): boolean {
    return this.#options.useIdle ?? true;
  }

  #pollIntervalMs(): number {
    return this.#options.pollIntervalMs ?? this.#options.settings.pollMinutes * 60_000;
  }

  /** Schedules a recount shortly, coalescing a burst of notifications into one. */
  #soon(): void {
    if (this.#recount.timer !== undefined) return;
    this.#recount.timer = setTimeout(() => {
      this.#recount.timer = undefined;
      this.#recountNow().catch((err: unknown) => {
        // The connection is broken; closing it ends the session, which reports and reconnects.
        this.#log.debug({ err }, "voicemail recount failed; reconnecting");
        this.#client?.close();
      });
    }, COALESCE_MS);
  }

  /** Runs a full count; a call while one runs waits for a fresh count after it. Rejects on IMAP failure. */
  async #recountNow(): Promise<void> {
    if (this.#recount.running) {
      this.#recount.again = true;
      return this.#recount.running;
    }
    const run = async () => {
      do {
        this.#recount.again = false;
        await this.#countOnce();
      } while (this.#recount.again);
    };
    this.#recount.running = run().finally(() => (this.#recount.running = undefined));
    return this.#recount.running;
  }

  async #countOnce(): Promise<void> {
    const client = this.#client;
    if (!client) throw new Error("not connected");
    const { from, to } = this.#options.settings;
    const rule = {
      from,
      trustedAuthservIds: this.#options.trustedAuthservIds ?? ["mx.google.com"],
      ...(to ? { to: to.map((address) => address.toLowerCase()) } : {}),
    };
    const count = await countVoicemailNotices(client, rule, this.#cache);
    if (client !== this.#client) return; // the connection was replaced meanwhile; its count is stale
    for (const uid of count.newlyForged)
      this.#log.warn(
        { uid },
        "a mail looks like a voicemail notice but failed the DKIM check; it is not counted",
      );
    this.#unreadUids = count.unreadUids;
    this.#status.counted(count.state);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}

/**
 * imapflow, loaded on a source's first connection: with its dependencies it costs about 22 MiB of
 * memory (measured), which a box without an IMAP voicemail source should not pay.
 */
async function loadImapFlow(): Promise<typeof ImapFlow> {
  return (await import("imapflow")).ImapFlow;
}
