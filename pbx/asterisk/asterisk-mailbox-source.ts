import type { Logger } from "pino";
import type { ServiceHealth } from "../../services/host/service.js";
import type { AmiClient } from "./ami-client.js";
import type { MailboxState } from "./asterisk-mailbox.js";
import { AsteriskVoicemailSource } from "./asterisk-voicemail-source.js";

/**
 * One Asterisk mailbox in the shape of pbx/voicemail's `VoicemailSource` (one source, one mailbox:
 * name, kind, async start/stop, state(), health(), onChange(state, previous)), so the pbx service
 * can list it with the imap/command/http sources. Matches that interface structurally; several of
 * these may share one {@link AmiClient}.
 */
export class AsteriskMailboxSource {
  readonly kind = "asterisk";
  readonly name: string;
  readonly #mailbox: string;
  readonly #inner: AsteriskVoicemailSource;

  constructor(
    name: string,
    mailbox: string,
    client: AmiClient,
    options: { voicemailContext?: string; pollMs?: number },
    log: Logger,
  ) {
    this.name = name;
    this.#mailbox = mailbox;
    this.#inner = new AsteriskVoicemailSource(client, { ...options, mailboxes: [mailbox] }, log);
  }

  start(): Promise<void> {
    this.#inner.start();
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.#inner.stop();
    return Promise.resolve();
  }

  state(): MailboxState | undefined {
    return this.#inner.state(this.#mailbox);
  }

  health(): ServiceHealth {
    return this.#inner.health();
  }

  /** Called on the first count (previous undefined) and on every change; never for an equal count. */
  onChange(
    listener: (state: MailboxState, previous: MailboxState | undefined) => void,
  ): () => void {
    let previous: MailboxState | undefined;
    return this.#inner.onChange((_, state) => {
      const before = previous;
      previous = state;
      listener(state, before);
    });
  }
}
