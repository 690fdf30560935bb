import type { MailboxState } from "../voicemail/voicemail-source.js";

/** RFC 3842 §5: the body's media type. */
export const MESSAGE_SUMMARY_TYPE = "application/simple-message-summary";
/** RFC 3842 §4: the event package name in Event and Allow-Events. */
export const MESSAGE_SUMMARY_EVENT = "message-summary";

/** A lamp is lit while there is at least one new message (RFC 3842 §5.2 `Messages-Waiting`). */
export function isLampOn(state: MailboxState): boolean {
  return state.new > 0;
}

/**
 * The `application/simple-message-summary` body phones expect (RFC 3842 §5.2):
 * `Messages-Waiting: yes|no`, the account, then `Voice-Message: new/old (urgent-new/urgent-old)`.
 * Capitalisation and line ends are exact because Cisco 79xx firmware matches them literally; we
 * have no urgent messages, so the parenthesised counts are always `(0/0)`.
 */
export function messageSummaryBody(extension: string, domain: string, state: MailboxState): string {
  const count = (n: number) => Math.max(0, Math.trunc(n));
  return (
    `Messages-Waiting: ${isLampOn(state) ? "yes" : "no"}\r\n` +
    `Message-Account: sip:${extension}@${domain}\r\n` +
    `Voice-Message: ${count(state.new)}/${count(state.old)} (0/0)\r\n`
  );
}
