import { loadConfig, resolveDataDir } from "../config/index.js";
import { controlRequest } from "../control/control-client.js";
import { clientSocketPaths } from "../control/socket-path.js";
import { describeError } from "../errors.js";
import { errorText, fail } from "./cli-output.js";

/** Options every subcommand that talks to the running daemon takes. */
export interface DaemonCliOptions {
  json?: boolean;
  config?: string;
  data?: string;
  socket?: string;
}

/** The daemon's data dir and control sockets, resolved from the same config and env as hearth's. */
export function daemonPlaces(opts: DaemonCliOptions): { dataDir: string; sockets: string[] } {
  const { config } = loadConfig({ path: opts.config, env: process.env });
  const dataDir = resolveDataDir({ cliData: opts.data, config, env: process.env });
  return { dataDir, sockets: clientSocketPaths({ flag: opts.socket, dataDir }) };
}

/**
 * Asks the running hearth's API for a service (phones and consoles live in the daemon), and
 * turns every way of not getting an answer into one line on stderr and an exit code.
 * `command` is the CLI's own name for messages ("hearth pbx"), `service` how people call the
 * service ("the phone service").
 */
export async function askDaemon(
  opts: DaemonCliOptions,
  names: { command: string; service: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<{ ok: true; json: unknown } | { ok: false; code: number }> {
  let answer: Awaited<ReturnType<typeof controlRequest>>;
  try {
    answer = await controlRequest(daemonPlaces(opts).sockets, method, path, body);
  } catch (err) {
    return { ok: false, code: fail(`${names.command}: ${describeError(err)}`) };
  }
  if (answer.statusCode === 503)
    return {
      ok: false,
      code: fail(
        `${names.command}: ${names.service} is not running (${errorText(answer.body)}). See \`hearth status\` for why.`,
      ),
    };
  if (answer.statusCode < 200 || answer.statusCode >= 300)
    return { ok: false, code: fail(`${names.command}: ${errorText(answer.body)}`) };
  return { ok: true, json: JSON.parse(answer.body) as unknown };
}
