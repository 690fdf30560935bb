import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { SipAuthHeader } from "sip";
import digest from "sip/digest.js";
import type { SipRequest } from "../sip/sip-message.js";

/** The Digest parameters of one Authorization header, unquoted and checked for presence. */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  qop: string | undefined;
  nc: string | undefined;
  cnonce: string | undefined;
}

/** Longer parameter values than this are not from a phone. */
const MAX_PARAM_LENGTH = 256;

/**
 * The Authorization header meant for `realm`, or undefined when the request carries none for us
 * (then it simply gets challenged). "invalid" when one is there but unusable: a failure.
 */
export function readCredentials(
  request: SipRequest,
  realm: string,
  header: "authorization" | "proxy-authorization" = "authorization",
): DigestCredentials | "invalid" | undefined {
  const headers = request.headers[header];
  if (!Array.isArray(headers)) return undefined;
  const ours = headers.find(
    (h: SipAuthHeader) =>
      typeof h?.scheme === "string" &&
      h.scheme.toLowerCase() === "digest" &&
      unquote(h.realm) === realm,
  );
  if (ours === undefined) return undefined;
  const field = (name: string) => {
    const value = unquote(ours[name]);
    return value !== undefined && value.length <= MAX_PARAM_LENGTH ? value : undefined;
  };
  const [username, nonce, uri, response] = [
    field("username"),
    field("nonce"),
    field("uri"),
    field("response"),
  ];
  if (username === undefined || nonce === undefined || uri === undefined || response === undefined)
    return "invalid";
  const algorithm = field("algorithm");
  if (algorithm !== undefined && algorithm.toUpperCase() !== "MD5") return "invalid";
  const qop = field("qop")?.toLowerCase();
  // We offer qop="auth" only (RFC 2617 §3.2.2: the client must then use it with nc and cnonce).
  if (qop !== "auth") return "invalid";
  const nc = field("nc");
  const cnonce = field("cnonce");
  if (nc === undefined || cnonce === undefined) return "invalid";
  return { username, realm, nonce, uri, response, qop, nc, cnonce };
}

/**
 * Checks a digest response. `password` undefined (no such extension) runs the very same
 * computation with a random secret, so an unknown user costs, looks and answers exactly like a
 * wrong password: a scanner learns nothing about which extensions exist.
 */
export function digestMatches(
  credentials: DigestCredentials,
  method: string,
  password: string | undefined,
): boolean {
  const ha1 = digest.calculateUserRealmPasswordHash(
    credentials.username,
    credentials.realm,
    password ?? UNKNOWN_USER_SECRET,
  );
  const expected = digest.calculateDigest({
    ha1,
    method,
    nonce: credentials.nonce,
    nc: credentials.nc,
    cnonce: credentials.cnonce,
    qop: credentials.qop,
    uri: credentials.uri,
  });
  // Hash both sides so the comparison is constant-time whatever length the phone sent.
  const a = createHash("sha256").update(expected).digest();
  const b = createHash("sha256").update(credentials.response.toLowerCase()).digest();
  return timingSafeEqual(a, b) && password !== undefined;
}

const UNKNOWN_USER_SECRET = randomBytes(18).toString("base64");

function unquote(value: string | undefined): string | undefined {
  if (typeof value !== "string") return undefined;
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1);
  return value;
}
