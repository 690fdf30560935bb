import { join } from "node:path";

/** File name of the control socket inside the runtime or data dir. */
export const SOCKET_NAME = "hearth.sock";

/**
 * Where the daemon listens: systemd's RuntimeDirectory (/run/hearth) when it set one, else the data
 * dir. The socket's file mode (0660, group hearth under systemd) is the permission check.
 */
export function daemonSocketPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env.RUNTIME_DIRECTORY?.split(":")[0];
  return join(runtime || dataDir, SOCKET_NAME);
}

/**
 * Where the CLI looks, in order: --socket, $HEARTH_SOCKET, /run/hearth (the systemd install), then
 * the data dir the CLI resolves from the same config and environment as the daemon would.
 */
export function clientSocketPaths(options: {
  flag?: string;
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}): string[] {
  const env = options.env ?? process.env;
  if (options.flag) return [options.flag];
  if (env.HEARTH_SOCKET) return [env.HEARTH_SOCKET];
  const paths = [join("/run/hearth", SOCKET_NAME), daemonSocketPath(options.dataDir, env)];
  return [...new Set(paths)];
}
