/** What went wrong with the IMAP server, in words for the dashboard, and what to do about it. */
export interface ImapFailure {
  reason: string;
  fix: string;
}

/**
 * Turns whatever imapflow or the socket threw into a reason and a fix. imapflow marks refused
 * logins with `authenticationFailed`, server answers with `serverResponseCode` (NONEXISTENT for a
 * missing folder), socket failures with a Node `code` (ECONNREFUSED, ETIMEOUT…).
 */
export function describeImapFailure(
  err: unknown,
  where: { host: string; port: number; mailbox: string },
): ImapFailure {
  const server = `${where.host}:${where.port}`;
  const e = (err ?? {}) as {
    message?: unknown;
    code?: unknown;
    authenticationFailed?: unknown;
    serverResponseCode?: unknown;
    responseText?: unknown;
  };
  const message = typeof e.message === "string" ? e.message : "the server closed the connection";
  if (e.authenticationFailed === true)
    return {
      reason: `the IMAP server ${server} refused the user name or password`,
      fix: "Check the source's user and password; for Gmail use an app password (Google account → Security → App passwords).",
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
