import type { SipMessageData } from "sip";

/** Responses that tell the caller how to retry, preferred within the 4xx class (§16.7 step 6). */
const INFORMATIVE_4XX = new Set([401, 407, 415, 420, 484]);

/**
 * Picks the final response to forward when every branch failed (RFC 3261 §16.7 step 6): any 6xx
 * first, otherwise the lowest class, preferring within 4xx the answers that let the caller
 * retry. Undefined when there is nothing to choose from (the caller then answers 408).
 */
export function bestResponse(responses: readonly SipMessageData[]): SipMessageData | undefined {
  const finals = responses.filter((r) => (r.status ?? 0) >= 300);
  if (finals.length === 0) return undefined;
  const classOf = (r: SipMessageData) => Math.floor((r.status ?? 0) / 100);
  const global = finals.find((r) => classOf(r) === 6);
  if (global !== undefined) return global;
  const lowest = Math.min(...finals.map(classOf));
  const inClass = finals.filter((r) => classOf(r) === lowest);
  return inClass.find((r) => INFORMATIVE_4XX.has(r.status ?? 0)) ?? inClass[0];
}

/**
 * A 503 is about the server that sent it, not about us; forwarding it would make the caller
 * avoid hearth, so it goes up as 500 (RFC 3261 §16.7 step 6).
 */
export function asForwardable(response: SipMessageData): SipMessageData {
  if (response.status !== 503) return response;
  return { ...response, status: 500, reason: "Server Internal Error" };
}
