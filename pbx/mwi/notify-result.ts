/** The outcome of the last NOTIFY sent for an extension, for the status page. */
export interface NotifyResult {
  /** When the answer (or the timeout) arrived, ms since the epoch. */
  at: number;
  /** In a subscription dialog, or unsolicited to a registered contact. */
  via: "subscription" | "unsolicited";
  /** The Request-URI: the phone's Contact. */
  target: string;
  /** The phone's final answer, or 408/503 made up when it never answered or could not be reached. */
  status: number;
  reason: string;
  /** The lamp the NOTIFY asked for. */
  lampOn: boolean;
}

/** Where senders report each NOTIFY's outcome, keyed by extension number. */
export type NotifyResultSink = (extension: string, result: NotifyResult) => void;

/** True for a 2xx answer: the phone took the NOTIFY. */
export function isDelivered(result: NotifyResult): boolean {
  return result.status >= 200 && result.status < 300;
}
