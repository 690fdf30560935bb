import { HearthError } from "../../services/errors.js";

/** Why an AMI action did not succeed. */
export type AmiFailure =
  /** No logged-in link right now; the bridge re-pushes its state on the next `ready`. */
  | "not-connected"
  /** Asterisk answered `Response: Error` (message in `amiMessage`). */
  | "rejected"
  /** No answer within the action's timeout. */
  | "timeout"
  /** The link dropped (or the client stopped) before the answer came. */
  | "disconnected";

/** An AMI action that failed; `code` is E_PEER_DOWN because the peer did not do what was asked. */
export class AmiError extends HearthError {
  readonly failure: AmiFailure;
  /** Asterisk's own `Message:` text for a rejected action. */
  readonly amiMessage: string | undefined;

  constructor(failure: AmiFailure, message: string, amiMessage?: string) {
    super("E_PEER_DOWN", message, {
      fix: "Check that Asterisk is running and that the AMI user in pbx.ami may run this action.",
    });
    this.name = "AmiError";
    this.failure = failure;
    this.amiMessage = amiMessage;
  }
}
