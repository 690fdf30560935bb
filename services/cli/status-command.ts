import { ConfigError, loadConfig, resolveDataDir } from "../config/index.js";
import { fetchStatus } from "../control/control-client.js";
import { clientSocketPaths } from "../control/socket-path.js";
import { describeError, HearthError } from "../errors.js";
import { EXIT } from "../host/shutdown.js";
import { formatStatus } from "./format-status.js";

/**
 * `hearth status`: asks the running daemon. Exit 0 when it answers and nothing failed, 1 when it is
 * not running or a service failed (so scripts and monitors can use the exit code alone).
 */
export async function statusCommand(opts: {
  json?: boolean;
  config?: string;
  data?: string;
  socket?: string;
}): Promise<number> {
  let dataDir: string;
  try {
    const { config } = loadConfig({ path: opts.config, env: process.env });
    dataDir = resolveDataDir({ cliData: opts.data, config, env: process.env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.format()}\n`);
    return EXIT.failure;
  }
  try {
    const status = await fetchStatus(clientSocketPaths({ flag: opts.socket, dataDir }));
    process.stdout.write(
      opts.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatStatus(status)}\n`,
    );
    return status.overall === "failed" ? EXIT.failure : EXIT.ok;
  } catch (err) {
    process.stderr.write(`${describeError(err)}\n`);
    if (err instanceof HearthError && err.fix) process.stderr.write(`${err.fix}\n`);
    return EXIT.failure;
  }
}
