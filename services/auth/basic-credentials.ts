/**
 * The user and password of an `Authorization: Basic …` header (RFC 7617), or undefined when the
 * header is absent or not Basic. Used by Prometheus scrapers on /metrics.
 */
export function basicCredentials(
  header: string | undefined,
): { user: string; password: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+) *$/i.exec(header ?? "");
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
