import { runDaemon } from "../daemon.js";

/** `hearth start`: runs the daemon in the foreground; returns only when it could not start. */
export function startCommand(opts: {
  config?: string;
  data?: string;
  port?: number;
  listen?: string;
}): Promise<number> {
  return runDaemon(opts);
}
