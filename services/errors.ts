/**
 * Errors hearth raises on purpose. Each carries a stable `code` that scripts and tests match on,
 * and a message that tells the user what to do next.
 */
export type HearthErrorCode =
  | "E_CONFIG"
  | "E_SECRET"
  | "E_CATALOG"
  | "E_START_TIMEOUT"
  | "E_PORT_BUSY"
  | "E_PEER_DOWN"
  | "E_NOT_RUNNING"
  | "E_USAGE";

export class HearthError extends Error {
  readonly code: HearthErrorCode;
  /** A sentence telling the user how to fix it, shown on the dashboard and in `hearth status`. */
  readonly fix: string | undefined;

  constructor(
    code: HearthErrorCode,
    message: string,
    options: { cause?: unknown; fix?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HearthError";
    this.code = code;
    this.fix = options.fix;
  }
}

/** Best-effort human text for anything thrown, without a stack trace. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** A failed fetch() in words: undici hides the useful part ("ECONNREFUSED") in `cause`. */
export function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code} (${cause.message})` : cause.message;
  }
  return err.message;
}
