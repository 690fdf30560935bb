import { offWaitOn } from "./off-wait-on.js";
import type { HttpPowerConfig, PowerAction, PowerDriver } from "./power-driver.js";
import { powerError } from "./power-error.js";
import { formatDuration } from "./run-process.js";
import { describeFetchError } from "../../errors.js";

/** A smart plug on the LAN answers in well under a second; 10 s means it is gone. */
export const HTTP_TIMEOUT_MS = 10_000;
const BODY_CHARS = 200;
const FIX = "Open the URL with curl from the hearth box to see what the plug answers.";

/** Overrides for tests; the config alone is enough in production. */
export interface HttpPowerDriverOptions {
  /** Per request, headers and body; default HTTP_TIMEOUT_MS. */
  timeoutMs?: number;
}

/**
 * A smart plug or relay with an HTTP API (Tasmota `…/cm?cmnd=Power%20Off`, Shelly
 * `…/relay/0?turn=off`): `on`/`off` GET their URL, `cycle` is off, wait cycleSeconds, on. Any
 * answer but 2xx is a failure; redirects are not followed (a plug that redirects wants a login).
 */
export class HttpPowerDriver implements PowerDriver {
  readonly kind = "http" as const;
  readonly #config: HttpPowerConfig;
  readonly #timeoutMs: number;

  constructor(config: HttpPowerConfig, options: HttpPowerDriverOptions = {}) {
    this.#config = config;
    this.#timeoutMs = options.timeoutMs ?? HTTP_TIMEOUT_MS;
  }

  async run(action: PowerAction, signal: AbortSignal): Promise<void> {
    const { on, off, cycleSeconds } = this.#config;
    if (action === "on") return this.#get(on, signal);
    if (action === "off") return this.#get(off, signal);
    return offWaitOn({
      off: (s) => this.#get(off, s),
      on: (s) => this.#get(on, s),
      waitMs: cycleSeconds * 1000,
      signal,
    });
  }

  async close(): Promise<void> {
    // Nothing is held between requests; a running one is ended through its abort signal.
  }

  async #get(url: string, signal: AbortSignal): Promise<void> {
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(this.#timeoutMs)]);
    const shown = `GET ${describeUrl(url)}`;
    let response: Response;
    let body: string;
    try {
      response = await fetch(url, { signal: deadline, redirect: "manual" });
      body = await response.text();
    } catch (err) {
      if (signal.aborted) throw err;
      const what = deadline.aborted
        ? `no answer within ${formatDuration(this.#timeoutMs)}`
        : describeFetchError(err);
      throw powerError("http", `${shown} failed: ${what}`, FIX, err);
    }
    if (response.status >= 200 && response.status < 300) return;
    const excerpt = body.trim().replace(/\s+/g, " ").slice(0, BODY_CHARS);
    const status = `${response.status} ${response.statusText}`.trim();
    throw powerError("http", `${shown} answered ${status}${excerpt ? `: ${excerpt}` : ""}`, FIX);
  }
}

/**
 * The URL as it may appear in the port log: Tasmota takes `user=…&password=…` in the query and
 * some plugs take `user:pass@host`, so credentials are masked.
 */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.username !== "" || parsed.password !== "") {
    parsed.username = "***";
    parsed.password = "";
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (/pass|token|secret|key|auth|user/i.test(key)) parsed.searchParams.set(key, "***");
  }
  return parsed.toString();
}
