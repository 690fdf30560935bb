import { AmiMessage } from "./ami-message.js";

/** Limits that keep a confused or hostile peer from growing our memory without bound. */
export interface AmiParserLimits {
  /** Largest message (all its lines) kept; a bigger one is skipped up to its blank line. */
  maxMessageBytes: number;
  /** Most headers kept per message; PJSIPShowEndpoint details run to ~150, so this is generous. */
  maxHeaders: number;
}

export const DEFAULT_AMI_PARSER_LIMITS: AmiParserLimits = {
  maxMessageBytes: 256 * 1024,
  maxHeaders: 1024,
};

/** What the parser hands back; `malformed` carries a short reason for a rate-limited log line. */
export interface AmiParserSink {
  onBanner(text: string): void;
  onMessage(message: AmiMessage): void;
  onMalformed(reason: string): void;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits an AMI byte stream into messages. Lines end in CRLF (bare LF is tolerated); a blank line
 * ends a message. On connect Asterisk sends one banner line `Asterisk Call Manager/13.0.0` with no
 * blank line after it (main/manager.c:7487), so a first line without `: ` is taken as the banner.
 * Headers split on the first `: ` only. Nothing fed to {@link push} can throw: bad input is
 * reported to `onMalformed` and skipped.
 */
export class AmiParser {
  readonly #sink: AmiParserSink;
  readonly #limits: AmiParserLimits;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #headers: Array<readonly [string, string]> = [];
  #messageBytes = 0;
  /** Set while dropping the rest of an oversized message, until its blank line. */
  #skipping = false;
  #isFirstLine = true;

  constructor(sink: AmiParserSink, limits: Partial<AmiParserLimits> = {}) {
    this.#sink = sink;
    this.#limits = { ...DEFAULT_AMI_PARSER_LIMITS, ...limits };
  }

  /** Feed bytes as they arrive; messages are delivered synchronously. */
  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(LF, start);
      if (end < 0) break;
      this.#line(this.#takeLine(chunk.subarray(start, end)));
      start = end + 1;
    }
    if (start < chunk.length) this.#keepPartial(chunk.subarray(start));
  }

  /** Forget any half-received message (the connection it came from is gone). */
  reset(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#headers = [];
    this.#messageBytes = 0;
    this.#skipping = false;
    this.#isFirstLine = true;
  }

  #takeLine(tail: Buffer): Buffer {
    if (this.#pending.length === 0) return tail;
    const whole = Buffer.concat([...this.#pending, tail]);
    this.#pending = [];
    this.#pendingBytes = 0;
    return whole;
  }

  /** A line without its LF yet: keep it, unless it is already too long to be part of a message. */
  #keepPartial(part: Buffer): void {
    if (this.#skipping) return;
    this.#pendingBytes += part.length;
    if (this.#messageBytes + this.#pendingBytes > this.#limits.maxMessageBytes) {
      this.#overflow(`a line longer than ${this.#limits.maxMessageBytes} bytes`);
      return;
    }
    this.#pending.push(Buffer.from(part));
  }

  #line(raw: Buffer): void {
    const line = stripCr(raw);
    if (line.length === 0) {
      this.#endOfMessage();
      return;
    }
    if (this.#skipping) return;
    // Measured before decoding, so a huge line costs no string.
    if (this.#messageBytes + raw.length + 1 > this.#limits.maxMessageBytes) {
      this.#overflow(`a message larger than ${this.#limits.maxMessageBytes} bytes`);
      return;
    }
    const text = line.toString("utf8");
    if (this.#isFirstLine && this.#headers.length === 0 && !text.includes(": ")) {
      this.#isFirstLine = false;
      this.#sink.onBanner(text);
      return;
    }
    this.#isFirstLine = false;
    this.#messageBytes += raw.length + 1;
    if (this.#headers.length >= this.#limits.maxHeaders) {
      this.#overflow(`a message with more than ${this.#limits.maxHeaders} headers`);
      return;
    }
    const header = splitHeader(text);
    if (header === undefined)
      this.#sink.onMalformed(`a line that is not a header: ${preview(text)}`);
    else this.#headers.push(header);
  }

  #endOfMessage(): void {
    const headers = this.#headers;
    const wasSkipping = this.#skipping;
    this.#headers = [];
    this.#messageBytes = 0;
    this.#skipping = false;
    if (wasSkipping || headers.length === 0) return;
    this.#sink.onMessage(new AmiMessage(headers));
  }

  #overflow(reason: string): void {
    this.#sink.onMalformed(reason);
    this.#skipping = true;
    this.#headers = [];
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}

function stripCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CR ? line.subarray(0, -1) : line;
}

/** `Name: value` on the first `: `; `Name:` alone is an empty value (Asterisk writes those too). */
function splitHeader(text: string): readonly [string, string] | undefined {
  const at = text.indexOf(": ");
  if (at > 0) return [text.slice(0, at), text.slice(at + 2)];
  if (text.endsWith(":") && text.length > 1) return [text.slice(0, -1), ""];
  return undefined;
}

function preview(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
}
