import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { AdminCredentials } from "./admin-credentials.js";
import { authRoutes } from "./auth-routes.js";
import { LoginThrottle, type LoginThrottleOptions } from "./login-throttle.js";
import { requestGuard } from "./request-guard.js";
import { SessionStore, type SessionStoreOptions } from "./session-store.js";

/** The outcome of one password try at any door (login, password change, Basic auth). */
export type PasswordAttempt =
  { outcome: "ok" } | { outcome: "wrong" } | { outcome: "throttled"; retryAfterSeconds: number };

export interface AuthOptions {
  /** hearth's data dir; the admin password hash lives in <dataDir>/host/admin.json. */
  dataDir: string;
  log: Logger;
  /** Where the dashboard is reachable, for the first-run log line. */
  dashboardUrl: string;
  sessions?: SessionStoreOptions;
  throttle?: LoginThrottleOptions;
}

/**
 * The dashboard's login: one admin password, cookie sessions, a per-IP throttle and the CSRF
 * check. `install` adds the guard hook (every request) and the /api/login… routes to the app.
 */
export class Auth {
  readonly credentials: AdminCredentials;
  readonly sessions: SessionStore;
  readonly throttle: LoginThrottle;
  readonly log: Logger;

  private constructor(credentials: AdminCredentials, options: AuthOptions) {
    this.credentials = credentials;
    this.sessions = new SessionStore(options.sessions);
    this.throttle = new LoginThrottle(options.throttle);
    this.log = options.log;
  }

  /** Loads (or on first start creates) the admin password. */
  static async open(options: AuthOptions): Promise<Auth> {
    return new Auth(await AdminCredentials.open(options), options);
  }

  /** Adds the request guard and the auth routes; call before any other route is added. */
  install(app: FastifyInstance): void {
    requestGuard(app, this);
    authRoutes(app, this);
  }

  /**
   * Checks `password` for `client` (an IP) through the throttle. Wrong passwords are logged once
   * per client per throttle window, never the password itself.
   */
  async attempt(client: string, password: string, door: string): Promise<PasswordAttempt> {
    const verdict = this.throttle.check(client);
    if (!verdict.isAllowed) {
      return { outcome: "throttled", retryAfterSeconds: verdict.retryAfterSeconds };
    }
    if (await this.credentials.verify(password)) {
      this.throttle.succeed(client);
      return { outcome: "ok" };
    }
    if (this.throttle.fail(client)) {
      this.log.warn(
        { client, door },
        "wrong admin password; further failures from this address are counted (and locked out after 5) but not logged until it has been quiet for 15 minutes",
      );
    }
    return { outcome: "wrong" };
  }
}
