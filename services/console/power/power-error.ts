import { HearthError } from "../../errors.js";
import type { PowerDriver } from "./power-driver.js";

/**
 * A power driver's failure, in one shape for all drivers: the message starts with the driver
 * ("gpio power driver: …") so the port log and the dashboard say which mechanism failed.
 * E_PEER_DOWN because the relay, plug or command is the peer that did not do its part.
 */
export function powerError(
  kind: PowerDriver["kind"],
  what: string,
  fix: string,
  cause?: unknown,
): HearthError {
  return new HearthError("E_PEER_DOWN", `${kind} power driver: ${what}`, { fix, cause });
}
