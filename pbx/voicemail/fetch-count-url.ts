import { parseMailboxCount } from "./parse-mailbox-count.js";
import { SourceReadError } from "./periodic-source.js";
import type { MailboxState } from "./voicemail-source.js";
import { describeFetchError } from "../../services/errors.js";

export interface FetchLimits {
  /** Whole request, headers and body. Default 30 s. */
  timeoutMs?: number;
  /** A larger body is not a count: reading stops there. Default 64 KiB. */
  maxBodyBytes?: number;
}

const FIX_URL = "Open the URL with curl from the hearth box to see what it answers.";
const FIX_BODY = 'Make the URL answer with the count (3) or JSON like {"new":3,"old":1}.';

/**
 * GETs the URL and reads a count or JSON from the body. A bearer token, when given, is sent in
 * the Authorization header. Redirects are refused rather than followed, so the token never goes
 * to a host the user did not name. Rejects with a SourceReadError on any failure.
 */
export async function fetchCountUrl(
  url: string,
  token: string | undefined,
  signal: AbortSignal,
  limits: FetchLimits = {},
): Promise<MailboxState> {
  const { timeoutMs = 30_000, maxBodyBytes = 64 * 1024 } = limits;
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  const headers: Record<string, string> = { accept: "application/json, text/plain" };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  let body: string;
  try {
    const response = await fetch(url, { headers, signal: deadline, redirect: "manual" });
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel();
      throw new SourceReadError(
        `the URL redirected (HTTP ${response.status}) to ${response.headers.get("location") ?? "nowhere"}`,
        "Configure the final URL: hearth does not follow redirects with your token.",
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new SourceReadError(
        `the URL answered HTTP ${response.status} ${response.statusText}`.trim(),
        response.status === 401 || response.status === 403
          ? "Check the token configured for this source."
          : FIX_URL,
      );
    }
    body = await readBounded(response, maxBodyBytes);
  } catch (err) {
    if (err instanceof SourceReadError) throw err;
    const what =
      deadline.aborted && !signal.aborted
        ? `no answer within ${Math.round(timeoutMs / 1000)} s`
        : describeFetchError(err);
    throw new SourceReadError(`the URL could not be fetched: ${what}`, FIX_URL, { cause: err });
  }
  const parsed = parseMailboxCount(body);
  if (typeof parsed === "string")
    throw new SourceReadError(`the URL's answer: ${parsed}`, FIX_BODY);
  return parsed;
}

/** Reads at most `maxBytes` of the body; a longer one is an error, not a truncated count. */
async function readBounded(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    // Throwing out of for-await cancels the stream, which closes the connection.
    if (total > maxBytes)
      throw new SourceReadError(`the URL answered more than ${maxBytes} bytes`, FIX_BODY);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
