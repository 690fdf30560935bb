import type { Logger } from "pino";
import type { SipEndpoint } from "../sip/sip-endpoint.js";
import type { SipRequest } from "../sip/sip-message.js";
import type { SipRemote } from "../sip/sip-transport.js";
import { AuthThrottle } from "./auth-throttle.js";
import { digestMatches, readCredentials } from "./digest-credentials.js";
import { NonceIssuer } from "./nonce-issuer.js";

/** One phone line as authentication needs it; the service resolves the password's secret. */
export interface Extension {
  number: string;
  name: string;
  password: string;
}

export interface DigestAuthOptions {
  /** Digest realm and SIP domain. */
  realm: string;
  extensions: readonly Extension[];
  /** How long a nonce is good before it is answered with stale=true (default 300). */
  nonceLifetimeSec?: number;
  /** Failed authentications per source address and window before 403 (default 5 in 60 s). */
  authFailureLimit?: number;
  authFailureWindowSec?: number;
}

/**
 * Who asks: the registrar challenges with 401 / WWW-Authenticate and reads Authorization; the
 * proxy (INVITE, SUBSCRIBE through it) with 407 / Proxy-Authenticate and Proxy-Authorization
 * (RFC 3261 §22.3).
 */
export type AuthRole = "registrar" | "proxy";

/**
 * Digest authentication (MD5, qop=auth) of requests from the configured extensions, shared by
 * the registrar, the proxy and the MWI notifier so one nonce key and one failure throttle cover
 * them all: a phone with a wrong password is throttled whatever method it retries with.
 */
export class DigestAuthenticator {
  readonly #endpoint: SipEndpoint;
  readonly #realm: string;
  readonly #extensions: ReadonlyMap<string, Extension>;
  readonly #nonces: NonceIssuer;
  readonly #throttle: AuthThrottle;

  constructor(deps: { endpoint: SipEndpoint; log: Logger }, options: DigestAuthOptions) {
    this.#endpoint = deps.endpoint;
    this.#realm = options.realm;
    this.#extensions = new Map(options.extensions.map((e) => [e.number, e]));
    this.#nonces = new NonceIssuer(options.realm, (options.nonceLifetimeSec ?? 300) * 1000);
    this.#throttle = new AuthThrottle(
      {
        limit: options.authFailureLimit ?? 5,
        windowMs: (options.authFailureWindowSec ?? 60) * 1000,
      },
      deps.log,
    );
  }

  get realm(): string {
    return this.#realm;
  }

  /** The configured extension with this number, if any. */
  extension(number: string): Extension | undefined {
    return this.#extensions.get(number);
  }

  /** Every configured extension. */
  extensions(): Extension[] {
    return [...this.#extensions.values()];
  }

  /**
   * The extension the request proves to be, or undefined after answering it: 403 while its
   * source address is throttled; otherwise a challenge. A missing or foreign-realm credential is
   * simply challenged; a wrong one (wrong password, unknown user, forged nonce) is counted
   * against the source address and challenged the same way, so failures all look alike.
   */
  authenticate(
    request: SipRequest,
    remote: SipRemote,
    role: AuthRole = "registrar",
  ): Extension | undefined {
    if (this.#throttle.isBlocked(remote.address)) {
      this.#endpoint.reply(request, 403, "Forbidden");
      return undefined;
    }
    const header = role === "proxy" ? "proxy-authorization" : "authorization";
    const credentials = readCredentials(request, this.#realm, header);
    if (credentials === undefined) {
      this.#challenge(request, role, false);
      return undefined;
    }
    const extension =
      credentials === "invalid" ? undefined : this.#extensions.get(credentials.username);
    const matches =
      credentials !== "invalid" && digestMatches(credentials, request.method, extension?.password);
    const nonce = credentials === "invalid" ? "invalid" : this.#nonces.check(credentials.nonce);
    if (!matches || extension === undefined || nonce === "invalid") {
      this.#throttle.recordFailure(
        remote.address,
        credentials === "invalid" ? "?" : credentials.username,
      );
      this.#challenge(request, role, false);
      return undefined;
    }
    if (nonce === "stale") {
      this.#challenge(request, role, true);
      return undefined;
    }
    this.#throttle.recordSuccess(remote.address);
    return extension;
  }

  /** 401 or 407 with a fresh nonce; the same headers for every reason. */
  #challenge(request: SipRequest, role: AuthRole, stale: boolean): void {
    const challenge = [
      {
        scheme: "Digest",
        realm: `"${this.#realm}"`,
        nonce: `"${this.#nonces.issue()}"`,
        qop: '"auth"',
        algorithm: "MD5",
        stale: stale ? "true" : undefined,
      },
    ];
    if (role === "proxy")
      this.#endpoint.reply(request, 407, "Proxy Authentication Required", {
        "proxy-authenticate": challenge,
      });
    else this.#endpoint.reply(request, 401, "Unauthorized", { "www-authenticate": challenge });
  }
}
