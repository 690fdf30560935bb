import type { SipMessageData } from "sip";

const TEXT = Symbol("serialized SIP text");

/** A message already turned into wire text, as the transaction layer may hold it. */
export type SerializedMessage = SipMessageData & { readonly [TEXT]: string };

/**
 * Wraps wire text so it can go where the transaction layer wants a message: it keeps what it is
 * given for 32 s to answer retransmissions (Timer J), and a string costs far less heap than the
 * parsed response with its header objects (about 2 KiB each; at 1 000 REGISTER/s that decided
 * whether a 128 MiB heap survived). The transport sends the text as it is.
 */
export function serialized(status: number, text: string): SerializedMessage {
  return { status, headers: {}, [TEXT]: text };
}

/** The wire text of a message made by {@link serialized}, else undefined. */
export function serializedText(message: SipMessageData): string | undefined {
  return (message as Partial<SerializedMessage>)[TEXT];
}
