/** What went wrong with the IMAP server, in words for the dashboard, and what to do about it. */
export interface ImapFailure {
  reason: string;
  fix: string;
}

/**
 * Turns whatever imapflow, the socket or the secret lookup threw into a reason and a fix.
 * imapflow marks refused logins with `authenticationFailed` (and an OAuth2 refusal's JSON in
 * `oauthError`), server answers with `serverResponseCode` (NONEXISTENT for a missing folder),
 * socket failures with a Node `code` (ECONNREFUSED, ETIMEOUT…); an unreadable secret is a
 * HearthError E_SECRET whose message already says what to do.
 */
export function describeImapFailure(
  err: unknown,
  where: { host: string; port: number; mailbox: string; login?: "password" | "oauth2" },
): ImapFailure {
  const server = `${where.host}:${where.port}`;
  const e = (err ?? {}) as {
    message?: unknown;
    code?: unknown;
    fix?: unknown;
    authenticationFailed?: unknown;
    oauthError?: unknown;
    serverResponseCode?: unknown;
    responseText?: unknown;
  };
  const message = typeof e.message === "string" ? e.message : "the server closed the connection";
  const isOauth = where.login === "oauth2";
  if (e.code === "E_SECRET")
    return {
      reason: `could not read the ${isOauth ? "access token" : "password"}: ${message}`,
      fix: typeof e.fix === "string" ? e.fix : "Check the secret reference in the config.",
    };
  if (e.authenticationFailed === true && isOauth) return oauthRefused(server, e.oauthError);
  if (e.authenticationFailed === true)
    return {
      reason: `the IMAP server ${server} refused the user name or password`,
      fix: "Check the source's user and password; for Gmail use an app password (Google account → Security → App passwords).",
    };
  if (isOauth && /unsupported authentication mechanism/i.test(message))
    return {
      reason: `the IMAP server ${server} offers no OAuth2 login (XOAUTH2 or OAUTHBEARER)`,
      fix: "Log in with password: (an app password) instead of accessToken:, or check host and port.",
    };
  if (
    e.serverResponseCode === "NONEXISTENT" ||
    /mailbox doesn't exist|nonexistent/i.test(String(e.responseText ?? ""))
  )
    return {
      reason: `the folder "${where.mailbox}" does not exist on ${server}`,
      fix: 'Set the source\'s mailbox to an existing folder (for a Gmail label, its name, e.g. "Voicemail").',
    };
  const code = typeof e.code === "string" ? e.code : undefined;
  if (
    code === "ECONNREFUSED" ||
    code === "ENOTFOUND" ||
    code === "EHOSTUNREACH" ||
    code === "CONNECT_TIMEOUT"
  )
    return {
      reason: `could not connect to ${server} (${code})`,
      fix: "Check the source's host and port, and that the box can reach the internet.",
    };
  return {
    reason: code ? `${message} (${code})` : message,
    fix: `Check that ${server} is reachable; hearth keeps retrying.`,
  };
}

/** An OAuth2 login the server refused; Gmail says why in a JSON blob (`{"status":"400",…}`). */
function oauthRefused(server: string, oauthError: unknown): ImapFailure {
  const status =
    typeof oauthError === "object" && oauthError !== null && "status" in oauthError
      ? ` (status ${String((oauthError as { status: unknown }).status)})`
      : "";
  return {
    reason: `authentication failed: the IMAP server ${server} refused the OAuth2 access token${status}`,
    fix: "The token has probably expired (Google's last an hour): renew it into the accessToken secret, which hearth reads again at every connection attempt; check that it was issued for this user with the https://mail.google.com/ scope.",
  };
}
