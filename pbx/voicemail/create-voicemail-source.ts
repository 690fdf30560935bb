import type { Logger } from "pino";
import type { VoicemailSourceConfig } from "../config-schema.js";
import { fetchCountUrl, type FetchLimits } from "./fetch-count-url.js";
import { type ImapLogin, ImapSource } from "./imap-source.js";
import { PeriodicSource } from "./periodic-source.js";
import { type CommandLimits, runCountCommand } from "./run-count-command.js";
import type { VoicemailSource } from "./voicemail-source.js";

type ConfigOf<K extends VoicemailSourceConfig["source"]> = Extract<
  VoicemailSourceConfig,
  { source: K }
>;

/**
 * A validated voicemail source entry whose secrets the caller has resolved: the imap password
 * and the http token are plain strings here, never secret references; an imap access token is a
 * function that reads it (again at every connection, see ImapLogin).
 */
export type ResolvedVoicemailSourceConfig =
  | (Omit<ConfigOf<"imap">, "password" | "accessToken"> & ImapLogin)
  | ConfigOf<"command">
  | (Omit<ConfigOf<"http">, "token"> & { token?: string | undefined });

/** Everything but the config: the logger, and knobs that tests (and only tests) turn. */
export interface VoicemailSourceOptions {
  /** Child logger for this source, e.g. log.child({ part: "voicemail", source: name }). */
  log: Logger;
  /** Overrides the configured interval (pollMinutes / intervalMinutes), in ms. */
  intervalMs?: number;
  /** imap: false polls only, even where the server offers IDLE. */
  useIdle?: boolean;
  /** imap: reconnect delays. */
  reconnect?: { initialMs: number; maxMs: number };
  /** imap: authserv-ids whose Authentication-Results are believed; default: the config's. */
  trustedAuthservIds?: readonly string[];
  /** command/http: first retry after a failure (doubling up to the interval). */
  retryInitialMs?: number;
  command?: CommandLimits;
  http?: FetchLimits;
}

/** Builds the source for one `pbx.voicemail.<name>` entry. Does nothing until `start()`. */
export function createVoicemailSource(
  name: string,
  config: ResolvedVoicemailSourceConfig,
  options: VoicemailSourceOptions,
): VoicemailSource {
  const { log } = options;
  const retry =
    options.retryInitialMs === undefined ? {} : { retryInitialMs: options.retryInitialMs };
  switch (config.source) {
    case "imap":
      return new ImapSource({
        name,
        settings: config,
        log,
        ...(options.useIdle === undefined ? {} : { useIdle: options.useIdle }),
        ...(options.intervalMs === undefined ? {} : { pollIntervalMs: options.intervalMs }),
        ...(options.reconnect ? { reconnect: options.reconnect } : {}),
        trustedAuthservIds: options.trustedAuthservIds ?? config.trustedServers,
      });
    case "command":
      return new PeriodicSource({
        name,
        kind: "command",
        log,
        intervalMs: options.intervalMs ?? config.intervalMinutes * 60_000,
        read: (signal) => runCountCommand(config.command, signal, options.command),
        details: () => ({ source: "command" }),
        ...retry,
      });
    case "http":
      return new PeriodicSource({
        name,
        kind: "http",
        log,
        intervalMs: options.intervalMs ?? config.intervalMinutes * 60_000,
        read: (signal) => fetchCountUrl(config.url, config.token, signal, options.http),
        // The URL is shown without its query string, which may carry a key.
        details: () => ({ source: "http", url: urlWithoutQuery(config.url) }),
        ...retry,
      });
  }
}

function urlWithoutQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(invalid URL)"; // the schema validated it; this is only a guard for health()
  }
}
