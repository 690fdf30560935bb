import { createSocket, type Socket } from "node:dgram";
import { eventually } from "../registrar/registrar-harness.js";

/**
 * A hand-driven SIP peer on a UDP socket, for requests no real phone would send (hostile,
 * looping, out of dialog). It records every datagram it receives as text.
 */
export class RawSipPeer {
  readonly received: string[] = [];
  #socket: Socket | undefined;
  port = 0;

  constructor(readonly serverPort: number) {}

  async open(): Promise<void> {
    const socket = createSocket("udp4");
    socket.on("message", (data) => this.received.push(data.toString("latin1")));
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
    this.port = socket.address().port;
    this.#socket = socket;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.#socket ? this.#socket.close(resolve) : resolve()));
  }

  send(lines: string[], body = ""): void {
    const text = `${lines.join("\r\n")}\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    this.#socket?.send(text, this.serverPort, "127.0.0.1");
  }

  /** Waits for a received message matching `pattern` and returns it. */
  async expect(pattern: RegExp, what: string): Promise<string> {
    let found: string | undefined;
    await eventually(
      () => (found = this.received.find((m) => pattern.test(m))) !== undefined,
      what,
    );
    return found!;
  }

  /** A request from this peer; `extra` lines go after the mandatory headers. */
  request(
    method: string,
    options: {
      uri?: string;
      callId: string;
      branch?: string;
      from?: string;
      to?: string;
      cseq?: number;
      extra?: string[];
    },
  ): string[] {
    return [
      `${method} ${options.uri ?? `sip:1002@127.0.0.1:${this.serverPort}`} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.port};branch=${options.branch ?? `z9hG4bK-${options.callId}`}`,
      `From: ${options.from ?? `<sip:1001@127.0.0.1>;tag=raw1`}`,
      `To: ${options.to ?? "<sip:1002@127.0.0.1>"}`,
      `Call-ID: ${options.callId}`,
      `CSeq: ${options.cseq ?? 1} ${method}`,
      ...(options.extra ?? ["Max-Forwards: 70"]),
    ];
  }
}
