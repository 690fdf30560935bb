import type {
  ConsoleClient,
  SessionRole,
} from "../../../services/console/session/console-sessions.js";
import { waitFor } from "../host/test-services.js";

/**
 * A console client that keeps everything it is given, for in-process tests of ConsolePort and
 * Consoles: what a transport (TCP, WebSocket) would forward to a person.
 */
export class RecordingClient implements ConsoleClient {
  readonly who: string;
  readonly notices: string[] = [];
  readonly roles: SessionRole[] = [];
  closedWith: string | undefined;
  #received = Buffer.alloc(0);

  constructor(who = "test (in-process)") {
    this.who = who;
  }

  /** Terminal bytes so far, latin1 (one char per byte). */
  text(): string {
    return this.#received.toString("latin1");
  }

  send(bytes: Buffer): void {
    this.#received = Buffer.concat([this.#received, bytes]);
  }

  notice(text: string): void {
    this.notices.push(text);
  }

  roleChanged(role: SessionRole): void {
    this.roles.push(role);
  }

  queuedBytes(): number {
    return 0;
  }

  close(reason: string): void {
    this.closedWith = reason;
  }

  /** Resolves once the terminal text from `from` on contains `text`. */
  async waitFor(text: string, from = 0, timeoutMs = 10_000): Promise<void> {
    await waitFor(() => this.text().includes(text, from), timeoutMs).catch((err: unknown) => {
      throw new Error(
        `${this.who} never got ${JSON.stringify(text)}; last received ${JSON.stringify(this.text().slice(-300))}`,
        { cause: err },
      );
    });
  }
}
