import { Agent, request, type ClientRequest } from "node:http";

/** One event message: where it goes and what it says. */
export interface NotifyMessage {
  callback: URL;
  sid: string;
  seq: number;
  body: string;
}

/** Why a NOTIFY did not arrive ("connect ECONNREFUSED …", "answered 404"); undefined = delivered. */
export type NotifyFailure = string | undefined;

/**
 * Sends GENA NOTIFY requests (UDA 1.0 §4.2) with node:http. Each request gets `timeoutMs` for
 * connect and answer together; connections are not kept (control points' event servers often
 * close after each answer, and a pool would hold sockets to phones that left). `close()` cuts
 * every request in flight.
 */
export class NotifySender {
  readonly #timeoutMs: number;
  // A small pool caps sockets when a library change goes out to many subscribers at once.
  readonly #agent = new Agent({ keepAlive: false, maxSockets: 8 });
  readonly #inFlight = new Set<ClientRequest>();
  #isClosed = false;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Resolves when the subscriber answered or gave up; never rejects. */
  send(message: NotifyMessage): Promise<NotifyFailure> {
    if (this.#isClosed) return Promise.resolve("closed");
    // A callback node cannot even start a request to (request() throws) counts as a failure.
    return new Promise<NotifyFailure>((resolve) => this.#start(message, resolve)).catch(
      (err: unknown) => `cannot send: ${String(err)}`,
    );
  }

  #start(message: NotifyMessage, resolve: (failure: NotifyFailure) => void): void {
    const body = Buffer.from(message.body, "utf8");
    const req = request(message.callback, {
      method: "NOTIFY",
      agent: this.#agent,
      headers: notifyHeaders(message, body.length),
    });
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)),
      this.#timeoutMs,
    ).unref();
    let isDone = false;
    const done = (failure: NotifyFailure) => {
      if (isDone) return;
      isDone = true;
      clearTimeout(timer);
      this.#inFlight.delete(req);
      resolve(failure);
    };
    req.once("response", (res) => {
      // The answer's status is all that counts; a reset after it changes nothing.
      res.on("error", () => undefined);
      res.resume();
      const status = res.statusCode ?? 0;
      done(status >= 200 && status < 300 ? undefined : `answered ${status}`);
    });
    // `on`, not `once`: a second error after the first must not become an uncaught one.
    req.on("error", (err) => done(err.message));
    this.#inFlight.add(req);
    req.end(body);
  }

  /** Aborts every NOTIFY in flight (they resolve as failed) and refuses new ones. */
  close(): void {
    this.#isClosed = true;
    for (const req of this.#inFlight) req.destroy(new Error("closed"));
    this.#agent.destroy();
  }
}

/** UDA 1.0 §4.2.1 headers, upper case as in its examples (some event servers compare exactly). */
function notifyHeaders(message: NotifyMessage, lengthBytes: number): Record<string, string> {
  return {
    HOST: message.callback.host,
    "CONTENT-TYPE": 'text/xml; charset="utf-8"',
    NT: "upnp:event",
    NTS: "upnp:propchange",
    SID: message.sid,
    SEQ: String(message.seq),
    "CONTENT-LENGTH": String(lengthBytes),
    // Said outright: with a finite pool node would announce keep-alive, then hang up anyway.
    CONNECTION: "close",
  };
}
