/** What a client may do on a port: type (writer, one at a time) or only watch (spectator). */
export type SessionRole = "writer" | "spectator";

/** How a client asks to attach: rw = writer if free, ro = spectator for good, force = take the writer's place. */
export type AttachMode = "rw" | "ro" | "force";

/**
 * One attached client, whatever carries it (TCP, WebSocket, the CLI). The transport implements
 * these; the session table never touches sockets.
 */
export interface ConsoleClient {
  /** Who, for people: "admin@192.168.1.20 (web)", "127.0.0.1:51234 (tcp)". */
  readonly who: string;
  /** Terminal bytes from the port (replay and live). Must not block. */
  send(bytes: Buffer): void;
  /** A status line for people ("alice attached read-write", "adapter unplugged"). */
  notice(text: string): void;
  /** This client's role changed (or was first set). */
  roleChanged(role: SessionRole): void;
  /** Bytes queued towards the client and not yet taken by it (socket buffer, ws.bufferedAmount). */
  queuedBytes(): number;
  /** Hang up with a reason; the transport then calls `detach`. */
  close(reason: string): void;
}

/** A client as the status shows it. */
export interface SessionView {
  who: string;
  role: SessionRole;
  sinceMs: number;
}

interface Session {
  client: ConsoleClient;
  role: SessionRole;
  /** Asked for rw/force at some point: gets the write lock when the writer leaves. */
  wantsWrite: boolean;
  sinceMs: number;
  /** Set while the client is too far behind to be sent output. */
  lag?: Lag;
}

/** A client behind by more than the limit: what it missed, and the watch on whether it reads. */
interface Lag {
  skippedBytes: number;
  /** Its queue when last checked: a check that finds it no shorter means it read nothing. */
  queuedBytes: number;
  timer: NodeJS.Timeout;
}

export interface ConsoleSessionsOptions {
  /** A client with this much queued and unread is sent nothing more until it catches up (default 1 MiB). */
  maxQueuedBytes?: number;
  /** Such a client is dropped when it takes nothing for this long (default 5 s). */
  stallMs?: number;
  /** Attach/detach/force/drop events, for the port log. */
  onEvent: (text: string) => void;
  now?: () => number;
}

/**
 * The clients of one port: one writer, any number of spectators (conserver's model). A spectator's
 * keystrokes never reach the board; when the writer leaves, the longest-attached client that asked
 * to write takes over; force-attach demotes the writer. Output goes to every client at once; a
 * client whose queue passes the limit is sent nothing more until it has read half of it, then told
 * how many bytes it missed (the log has them), and is dropped if it reads nothing for `stallMs`.
 * So no client can stall the port, the log or the others (ser2net's documented failure), and one
 * that is only slower than the port for a while (a phone on Wi-Fi, a board's USB console printing
 * megabytes) loses some output instead of its session.
 */
export class ConsoleSessions {
  readonly #sessions: Session[] = [];
  readonly #maxQueuedBytes: number;
  readonly #stallMs: number;
  readonly #onEvent: (text: string) => void;
  readonly #now: () => number;

  constructor(options: ConsoleSessionsOptions) {
    this.#maxQueuedBytes = options.maxQueuedBytes ?? 1024 * 1024;
    this.#stallMs = options.stallMs ?? 5_000;
    this.#onEvent = options.onEvent;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#sessions.length;
  }

  /** Adds a client and returns its role. Send the replay to it before calling this. */
  attach(client: ConsoleClient, mode: AttachMode): SessionRole {
    const session: Session = {
      client,
      role: "spectator",
      wantsWrite: mode !== "ro",
      sinceMs: this.#now(),
    };
    this.#sessions.push(session);
    const writer = this.#writer();
    if (mode === "force" && writer) {
      this.#setRole(writer, "spectator");
      writer.client.notice(`${client.who} took over writing; you are watching now`);
      this.#setRole(session, "writer");
      this.#onEvent(`${client.who} attached, forcing ${writer.client.who} to watch`);
    } else if (mode !== "ro" && !writer) {
      this.#setRole(session, "writer");
      this.#onEvent(`${client.who} attached read-write`);
    } else {
      this.#setRole(session, "spectator");
      this.#onEvent(`${client.who} attached read-only`);
      if (mode === "rw" && writer)
        client.notice(`${writer.client.who} is writing; you are watching (force to take over)`);
    }
    return session.role;
  }

  /** Removes a client; the next client that asked to write takes over if it was the writer. */
  detach(client: ConsoleClient, reason = "detached"): void {
    const at = this.#sessions.findIndex((s) => s.client === client);
    if (at < 0) return;
    const [session] = this.#sessions.splice(at, 1);
    clearTimeout(session?.lag?.timer);
    this.#onEvent(`${client.who} ${reason}`);
    if (session?.role === "writer") this.#handOver();
  }

  /** A client asks to change role over its own connection: force, spectate or attach rw. */
  request(client: ConsoleClient, mode: AttachMode): SessionRole | undefined {
    const session = this.#find(client);
    if (!session) return undefined;
    const writer = this.#writer();
    if (mode === "ro") {
      session.wantsWrite = false;
      if (session.role === "writer") {
        this.#setRole(session, "spectator");
        this.#onEvent(`${client.who} now watching`);
        this.#handOver();
      }
    } else if (mode === "force" && writer !== session) {
      session.wantsWrite = true;
      if (writer) {
        this.#setRole(writer, "spectator");
        writer.client.notice(`${client.who} took over writing; you are watching now`);
      }
      this.#setRole(session, "writer");
      this.#onEvent(
        `${client.who} forced write access${writer ? ` from ${writer.client.who}` : ""}`,
      );
    } else if (mode === "rw" && writer !== session) {
      session.wantsWrite = true;
      if (writer) client.notice(`${writer.client.who} is writing; force to take over`);
      else {
        this.#setRole(session, "writer");
        this.#onEvent(`${client.who} now writing`);
      }
    }
    return session.role;
  }

  /** True when the client is the writer (its keystrokes go to the board). */
  isWriter(client: ConsoleClient): boolean {
    return this.#writer()?.client === client;
  }

  /** Port output to every client, at once, but those too far behind. */
  broadcast(bytes: Buffer): void {
    for (const session of [...this.#sessions]) {
      if (!this.#isBehind(session, bytes.length)) session.client.send(bytes);
    }
  }

  /** A status line to every client. */
  notice(text: string): void {
    for (const session of this.#sessions) session.client.notice(text);
  }

  list(): SessionView[] {
    return this.#sessions.map((s) => ({
      who: s.client.who,
      role: s.role,
      sinceMs: s.sinceMs,
    }));
  }

  /** Hangs up on everyone (the service is stopping). */
  closeAll(reason: string): void {
    for (const session of [...this.#sessions]) {
      clearTimeout(session.lag?.timer);
      session.client.close(reason);
    }
    this.#sessions.length = 0;
  }

  /** True (and the bytes counted as missed) while `session` is too far behind to be sent more. */
  #isBehind(session: Session, byteCount: number): boolean {
    const queued = session.client.queuedBytes();
    const lag = session.lag;
    if (lag === undefined) {
      if (queued <= this.#maxQueuedBytes) return false;
      const timer = setTimeout(() => this.#checkLag(session), this.#stallMs).unref();
      session.lag = { skippedBytes: byteCount, queuedBytes: queued, timer };
      return true;
    }
    if (queued > this.#maxQueuedBytes / 2) {
      lag.skippedBytes += byteCount;
      return true;
    }
    this.#caughtUp(session, lag);
    return false;
  }

  /** Every `stallMs` while behind: caught up, still reading (wait on), or stuck (drop). */
  #checkLag(session: Session): void {
    const lag = session.lag;
    if (lag === undefined || !this.#sessions.includes(session)) return;
    const queued = session.client.queuedBytes();
    if (queued <= this.#maxQueuedBytes / 2) {
      this.#caughtUp(session, lag);
    } else if (queued < lag.queuedBytes) {
      lag.queuedBytes = queued;
      lag.timer.refresh();
    } else {
      this.#drop(session);
    }
  }

  #caughtUp(session: Session, lag: Lag): void {
    clearTimeout(lag.timer);
    session.lag = undefined;
    session.client.notice(
      `${lag.skippedBytes} bytes of output skipped: this connection was slower than the port (the log has them)`,
    );
    this.#onEvent(`${session.client.who} fell behind: ${lag.skippedBytes} bytes skipped`);
  }

  #drop(session: Session): void {
    const queued = session.client.queuedBytes();
    session.client.close(`dropped: ${queued} bytes unread (the client stopped reading)`);
    this.detach(session.client, `dropped: stopped reading with ${queued} bytes queued`);
  }

  #handOver(): void {
    if (this.#writer()) return;
    const next = this.#sessions.find((s) => s.wantsWrite);
    if (!next) return;
    this.#setRole(next, "writer");
    this.#onEvent(`${next.client.who} now writing`);
  }

  #setRole(session: Session, role: SessionRole): void {
    session.role = role;
    session.client.roleChanged(role);
  }

  #writer(): Session | undefined {
    return this.#sessions.find((s) => s.role === "writer");
  }

  #find(client: ConsoleClient): Session | undefined {
    return this.#sessions.find((s) => s.client === client);
  }
}
