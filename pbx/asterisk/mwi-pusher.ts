import type { AmiClient } from "./ami-client.js";
import { clampCount, type AsteriskMailbox, type MailboxState } from "./asterisk-mailbox.js";

/** Tells Asterisk how many voicemails wait in a mailbox, so it lights the phones' lamps. */
export interface MwiPusher {
  /** Rejects with AmiError (or a file-system error for the spool method) when it did not happen. */
  push(mailbox: AsteriskMailbox, state: MailboxState): Promise<void>;
}

/**
 * `MWIUpdate` (res_mwi_external_ami, res/res_mwi_external_ami.c:305): Asterisk keeps the counts and
 * NOTIFYs the endpoints whose `mailboxes=` name this mailbox. The cleanest method when the
 * voicemail lives outside Asterisk (Google Voice); it cannot be loaded alongside app_voicemail.
 */
export class MwiUpdatePusher implements MwiPusher {
  readonly #client: AmiClient;

  constructor(client: AmiClient) {
    this.#client = client;
  }

  async push(mailbox: AsteriskMailbox, state: MailboxState): Promise<void> {
    await this.#client.send("MWIUpdate", {
      Mailbox: mailbox.id,
      OldMessages: clampCount(state.old, 1_000_000),
      NewMessages: clampCount(state.new, 1_000_000),
    });
  }
}
