import type { FetchMessageObject, ImapFlow } from "imapflow";
import {
  classifyNotice,
  type NoticeFacts,
  type NoticeKind,
  type NoticeRule,
  VOICEMAIL_SUBJECT_SEARCH,
} from "./voicemail-notice.js";
import type { MailboxState } from "./voicemail-source.js";

/**
 * How much of a mail's header is fetched: Gmail's own Authentication-Results sits in the first
 * few KiB, above anything the sender wrote, so a cut here never hides the header that counts,
 * and a hostile mail with megabytes of headers costs at most this much.
 */
export const HEADER_LIMIT_BYTES = 64 * 1024;

/** Mails whose header is fetched in one FETCH: bounds memory to about 100 × 64 KiB. */
const FETCH_BATCH = 100;

/** What a mail was found to be, by UID. A mail's headers never change, so this is valid as long as the UIDVALIDITY. */
export type NoticeCache = Map<number, NoticeKind>;

export interface NoticeCount {
  state: MailboxState;
  /** UIDs of the genuine unread notices (what `markRead` marks). */
  unreadUids: number[];
  /** UIDs first sorted in this count that looked like notices but failed the DKIM check. */
  newlyForged: number[];
}

/**
 * Counts the genuine voicemail notices in the selected folder from scratch: the server narrows
 * the candidates (SEARCH FROM/SUBJECT, then the unseen ones), and only the envelope and the top
 * of the header of candidates not sorted before are fetched; bodies never are. Rejects on any
 * IMAP failure (the caller reconnects).
 */
export async function countVoicemailNotices(
  client: ImapFlow,
  rule: NoticeRule,
  cache: NoticeCache,
): Promise<NoticeCount> {
  const query = { from: rule.from, subject: VOICEMAIL_SUBJECT_SEARCH };
  const all = await client.search(query, { uid: true });
  const unseenList = await client.search({ ...query, seen: false }, { uid: true });
  if (!Array.isArray(all) || !Array.isArray(unseenList))
    throw new Error("the IMAP server refused the search for voicemail notices");
  const unseen = new Set(unseenList);
  const newlyForged: number[] = [];
  const unknown = all.filter((uid) => !cache.has(uid));
  for (let i = 0; i < unknown.length; i += FETCH_BATCH) {
    const batch = unknown.slice(i, i + FETCH_BATCH);
    const messages = await client.fetchAll(
      batch,
      { uid: true, envelope: true, bodyParts: [{ key: "header", maxLength: HEADER_LIMIT_BYTES }] },
      { uid: true },
    );
    for (const message of messages) {
      const kind = classifyNotice(noticeFacts(message), rule);
      cache.set(message.uid, kind);
      if (kind === "forged") newlyForged.push(message.uid);
    }
  }
  // Forget mails that are gone, so the cache stays as small as the folder.
  const present = new Set(all);
  for (const uid of cache.keys()) if (!present.has(uid)) cache.delete(uid);
  const genuine = all.filter((uid) => cache.get(uid) === "voicemail");
  const unreadUids = genuine.filter((uid) => unseen.has(uid));
  return {
    state: { new: unreadUids.length, old: genuine.length - unreadUids.length },
    unreadUids,
    newlyForged,
  };
}

function noticeFacts(message: FetchMessageObject): NoticeFacts {
  const envelope = message.envelope;
  const header = message.headers;
  return {
    fromAddresses: (envelope?.from ?? []).map((a) => a.address ?? ""),
    toAddresses: (envelope?.to ?? []).map((a) => a.address ?? ""),
    subject: envelope?.subject,
    header,
    // imapflow hands back at most maxLength bytes; exactly that many means the header went on.
    isHeaderTruncated: header !== undefined && header.length >= HEADER_LIMIT_BYTES,
  };
}
