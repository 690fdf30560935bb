/** Waiting voicemail in one mailbox. */
export interface MailboxState {
  new: number;
  old: number;
}

/** An Asterisk mailbox id split into its parts: `1001@default` → { mailbox: "1001", context: "default" }. */
export interface AsteriskMailbox {
  mailbox: string;
  context: string;
  /** `mailbox@context`, the id app_voicemail and res_mwi_external use. */
  id: string;
}

/**
 * Mailbox and context names become spool folder names (<spool>/<context>/<mailbox>/INBOX) and AMI
 * header values, so only plain names are accepted: no separators, no dot-dot, no CR/LF.
 */
const SAFE_NAME = /^[A-Za-z0-9_+-][A-Za-z0-9_.+-]{0,79}$/;

/** Parses `1001` or `1001@context`; undefined when either part is not a plain name. */
export function parseMailbox(text: string, defaultContext: string): AsteriskMailbox | undefined {
  const at = text.indexOf("@");
  const mailbox = at < 0 ? text : text.slice(0, at);
  const context = at < 0 ? defaultContext : text.slice(at + 1);
  if (!SAFE_NAME.test(mailbox) || !SAFE_NAME.test(context)) return undefined;
  return { mailbox, context, id: `${mailbox}@${context}` };
}

/** Counts from the network or a user: whole, non-negative, and small enough for the spool method. */
export function clampCount(value: number, max = 99): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return Math.min(max, Math.floor(value));
}
