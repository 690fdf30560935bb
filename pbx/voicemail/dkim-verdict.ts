import { parseAuthenticationResults } from "./authentication-results.js";

/**
 * Decides whether a receiving server we trust vouched that the mail carries a valid DKIM
 * signature of `domain`.
 *
 * The rule, and why:
 * - Only the **topmost** Authentication-Results header counts. Each receiving server prepends
 *   its header above everything the sender wrote (RFC 8601 §5), so anything below the top one may
 *   have been written by whoever sent the mail, including a forged `dkim=pass`.
 * - That header must carry the authserv-id of a server we trust (`mx.google.com` for Gmail). A
 *   mail whose topmost header names some other server was not checked by our mail provider.
 * - It must contain `dkim=pass` whose signing domain is exactly `domain`: `header.d=google.com`,
 *   or `header.i=@google.com` / `header.i=someone@google.com`. A pass for another domain (an
 *   attacker signs with their own domain and passes) does not count.
 *
 * `headers` are the Authentication-Results values in the order they appear in the mail, top first.
 */
export function isDkimPassFor(
  headers: readonly string[],
  domain: string,
  trustedAuthservIds: readonly string[],
): boolean {
  const top = headers[0];
  if (top === undefined) return false;
  const parsed = parseAuthenticationResults(top);
  if (!parsed) return false;
  const trusted = trustedAuthservIds.map((id) => id.toLowerCase());
  if (!trusted.includes(parsed.authservId)) return false;
  const wanted = domain.toLowerCase();
  return parsed.results.some((r) => {
    if (r.method !== "dkim" || r.result !== "pass") return false;
    const d = r.properties["header.d"]?.toLowerCase();
    const i = r.properties["header.i"]?.toLowerCase();
    const iDomain = i === undefined ? undefined : i.slice(i.lastIndexOf("@") + 1);
    return d === wanted || iDomain === wanted;
  });
}
