import { EXIT } from "../host/shutdown.js";

/** The `error` of a JSON answer from the daemon, or the body as it came. */
export function errorText(body: string): string {
  try {
    return (JSON.parse(body) as { error?: string }).error ?? body;
  } catch {
    return body; // not JSON: show it as it came
  }
}

/** Prints a message on stderr and returns the failure exit code. */
export function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return EXIT.failure;
}
