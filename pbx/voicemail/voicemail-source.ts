import type { ServiceHealth } from "../../services/host/service.js";

/** Waiting voicemail in one mailbox, as a phone's lamp shows it (RFC 3842 `Voice-Message: new/old`). */
export interface MailboxState {
  /** Messages not yet listened to (or, for a mail source, notices not yet read): lights the lamp. */
  readonly new: number;
  /** Messages already heard but kept. */
  readonly old: number;
}

/**
 * Called after the count of a source changed, and once after the first successful count (with
 * `previous` undefined). Never called for a count that equals the last one. Listeners run
 * synchronously; one that throws is logged and the others still run.
 */
export type MailboxStateListener = (
  state: MailboxState,
  previous: MailboxState | undefined,
) => void;

/**
 * One configured voicemail source (a key under `pbx.voicemail`): it keeps the count of one mailbox
 * up to date and tells its listeners when it changes. The extensions whose `mailbox` names this
 * source show its state on their lamps (see `extensionsByMailbox`).
 *
 * Reconciled: after every (re)connection or successful poll the source counts from scratch, so
 * a restart or a lost connection can leave a lamp stale only until the source is back. While the
 * source is down, `state()` keeps the last count it knew and `health()` says why it is down.
 */
export interface VoicemailSource {
  /** The source's name in the config, e.g. "gv-main". */
  readonly name: string;
  /** "imap", "command" or "http". */
  readonly kind: string;
  /**
   * Starts counting in the background and resolves at once: a source that cannot reach its peer
   * is degraded, not failed, and keeps retrying with capped backoff until `stop`.
   */
  start(): Promise<void>;
  /** Stops timers, kills a running command, closes connections. Resolves when all is released. */
  stop(): Promise<void>;
  /** The last count; undefined until the first count succeeded. Cheap, no I/O. */
  state(): MailboxState | undefined;
  /** ok while the last attempt worked; degraded with reason and fix otherwise. Cheap, no I/O. */
  health(): ServiceHealth;
  /** Registers a listener; returns the function that removes it. */
  onChange(listener: MailboxStateListener): () => void;
}

/** A source that can clear its lamp at the source (the imap source sets \Seen on the notices). */
export interface ClearableVoicemailSource extends VoicemailSource {
  /** Marks every genuine unread notice read, recounts, and resolves to how many it marked. */
  markRead(): Promise<number>;
}

/** True when the source supports `markRead` (the dashboard's "clear lamp" button). */
export function isClearable(source: VoicemailSource): source is ClearableVoicemailSource {
  return typeof (source as Partial<ClearableVoicemailSource>).markRead === "function";
}
