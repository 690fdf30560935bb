import type { AmiMessage } from "./ami-message.js";

/** One live channel, for the dashboard's "who is on the phone" view. */
export interface ChannelView {
  uniqueid: string;
  linkedid: string;
  channel: string;
  /** ChannelStateDesc: Down, Ring, Ringing, Up, Busy… */
  state: string;
  callerIdNum: string;
  callerIdName: string;
  connectedLineNum: string;
  exten: string;
  /** Last DialEnd status of a dial this channel made (ANSWER, BUSY, NOANSWER…). */
  dialStatus?: string;
  /** When hearth first saw it (for a CoreShowChannels resync: when the resync ran). */
  seenAtMs: number;
}

/** A channel that hung up. */
export interface FinishedCall extends ChannelView {
  endedAtMs: number;
  cause: string;
  causeText: string;
}

const MAX_CHANNELS = 1_000;
const RECENT_CALLS = 50;
const MAX_TEXT = 200;

/**
 * Live calls from AMI call events (Newchannel, Newstate, DialBegin, DialEnd, Hangup), keyed by
 * channel Uniqueid; CoreShowChannels replaces the picture after every login because events missed
 * during a gap cannot be replayed. Keeps the last few hangups as a small call log.
 */
export class CallTracker {
  readonly #channels = new Map<string, ChannelView>();
  #recent: FinishedCall[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  channels(): ChannelView[] {
    return [...this.#channels.values()];
  }

  recent(): FinishedCall[] {
    return [...this.#recent];
  }

  /** Replaces the live channels with a CoreShowChannels answer. */
  replace(coreShowChannel: AmiMessage[]): void {
    this.#channels.clear();
    for (const e of coreShowChannel) this.#upsert(e);
  }

  /** Applies one call event; true when the picture changed. */
  apply(event: AmiMessage): boolean {
    switch (event.event?.toLowerCase()) {
      case "newchannel":
      case "newstate":
      case "dialbegin":
        return this.#upsert(event);
      case "dialend":
        return this.#dialEnd(event);
      case "hangup":
        return this.#hangup(event);
      default:
        return false;
    }
  }

  #upsert(e: AmiMessage): boolean {
    const uniqueid = e.get("Uniqueid");
    const channel = e.get("Channel");
    if (uniqueid === undefined || channel === undefined) return false;
    const before = this.#channels.get(uniqueid);
    if (before === undefined && this.#channels.size >= MAX_CHANNELS) return false;
    this.#channels.set(uniqueid, {
      ...before,
      uniqueid: text(uniqueid),
      linkedid: text(e.get("Linkedid") ?? uniqueid),
      channel: text(channel),
      state: text(e.get("ChannelStateDesc") ?? before?.state ?? ""),
      callerIdNum: text(e.get("CallerIDNum") ?? ""),
      callerIdName: text(e.get("CallerIDName") ?? ""),
      connectedLineNum: text(e.get("ConnectedLineNum") ?? ""),
      exten: text(e.get("Exten") ?? before?.exten ?? ""),
      seenAtMs: before?.seenAtMs ?? this.#now(),
    });
    return true;
  }

  #dialEnd(e: AmiMessage): boolean {
    const changed = this.#upsert(e);
    const view = this.#channels.get(e.get("Uniqueid") ?? "");
    const status = e.get("DialStatus");
    if (view === undefined || status === undefined) return changed;
    view.dialStatus = text(status);
    return true;
  }

  #hangup(e: AmiMessage): boolean {
    const uniqueid = e.get("Uniqueid");
    if (uniqueid === undefined) return false;
    this.#upsert(e);
    const view = this.#channels.get(uniqueid);
    if (view === undefined) return false;
    this.#channels.delete(uniqueid);
    this.#recent = [
      {
        ...view,
        endedAtMs: this.#now(),
        cause: text(e.get("Cause") ?? ""),
        causeText: text(e.get("Cause-txt") ?? ""),
      },
      ...this.#recent,
    ].slice(0, RECENT_CALLS);
    return true;
  }
}

function text(value: string): string {
  return value.length > MAX_TEXT ? value.slice(0, MAX_TEXT) : value;
}
