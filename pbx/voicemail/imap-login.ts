/**
 * How an imap source logs in: with a password (for Gmail an app password), or with an OAuth2
 * access token (XOAUTH2, or OAUTHBEARER where offered). The token is read again before every
 * connection: Google's expire within the hour, and whatever renews them (outside hearth) rewrites
 * the secret's file, so a reconnect picks up the fresh one. Reading may throw (a missing file):
 * the source is then degraded with that reason and retries.
 */
export type ImapLogin = { password: string } | { accessToken: () => string };

/** imapflow's `auth` option. */
export type ImapAuth = { user: string; pass: string } | { user: string; accessToken: string };

/** imapflow's `auth` for one connection; reads the access token afresh. May throw (E_SECRET). */
export function imapAuth(login: ImapLogin & { user: string }): ImapAuth {
  return "accessToken" in login
    ? { user: login.user, accessToken: login.accessToken() }
    : { user: login.user, pass: login.password };
}

/** "oauth2" or "password", for health details and failure wording. */
export function loginKind(login: ImapLogin): "password" | "oauth2" {
  return "accessToken" in login ? "oauth2" : "password";
}
