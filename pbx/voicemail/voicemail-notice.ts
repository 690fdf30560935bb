import { isDkimPassFor } from "./dkim-verdict.js";
import { headerValues } from "./header-values.js";

/** Google Voice's subject for a voicemail: "New voicemail from (555) 123-4567 at 3:14 PM". */
const VOICEMAIL_SUBJECT = /^\s*New voicemail from\b/i;

/** Text that every voicemail notice's subject contains, for the server-side SEARCH. */
export const VOICEMAIL_SUBJECT_SEARCH = "New voicemail from";

/** What the filter needs to know about one mail: its envelope and the top of its header. */
export interface NoticeFacts {
  fromAddresses: readonly string[];
  /** The To: addresses (Google Voice mails its account's address; Google's DKIM signature covers To). */
  toAddresses: readonly string[];
  subject: string | undefined;
  /** The raw header block, possibly cut at `headerLimitBytes`. */
  header: Buffer | undefined;
  isHeaderTruncated: boolean;
}

export interface NoticeRule {
  /** The notices' sender, e.g. voice-noreply@google.com. */
  from: string;
  /** authserv-ids whose Authentication-Results we believe (see isDkimPassFor). */
  trustedAuthservIds: readonly string[];
  /**
   * Only notices addressed to one of these (lower case) are this mailbox's: one Google Voice
   * number's account when the notices of several numbers reach one mailbox. Absent: all are.
   */
  to?: readonly string[];
}

/**
 * - voicemail: a genuine voicemail notice; it counts.
 * - forged: looks like one (sender and subject) but no trusted dkim=pass for the sender's domain.
 * - other: a text, a missed call, a notice for another number (`rule.to`), anything else.
 */
export type NoticeKind = "voicemail" | "forged" | "other";

/**
 * Sorts one mail. The sender must be exactly `rule.from` (the only From address), the subject
 * must start like a voicemail notice, it must be addressed to `rule.to` when that is set, and
 * the topmost Authentication-Results of a trusted server must show dkim=pass for the sender's
 * own domain. Never throws.
 */
export function classifyNotice(facts: NoticeFacts, rule: NoticeRule): NoticeKind {
  const from = rule.from.toLowerCase();
  if (facts.fromAddresses.length !== 1 || facts.fromAddresses[0]?.toLowerCase() !== from)
    return "other";
  if (facts.subject === undefined || !VOICEMAIL_SUBJECT.test(facts.subject)) return "other";
  if (rule.to && !facts.toAddresses.some((a) => rule.to?.includes(a.toLowerCase()))) return "other"; // another number's notice: that number's source judges it
  const domain = from.slice(from.lastIndexOf("@") + 1);
  const results = facts.header
    ? headerValues(facts.header, "authentication-results", facts.isHeaderTruncated)
    : [];
  return isDkimPassFor(results, domain, rule.trustedAuthservIds) ? "voicemail" : "forged";
}
