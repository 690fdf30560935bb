import type { Logger } from "pino";

/** Exit codes systemd and shells understand (sysexits.h where one fits). */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  /** EX_CONFIG: the unit's RestartPreventExitStatus=78 stops a restart loop on a broken file. */
  config: 78,
} as const;

/**
 * One idempotent SIGTERM/SIGINT handler with a hard deadline (Homebridge's pattern): the first
 * signal runs `stopAll`; if that has not finished within `deadlineMs`, or a second signal arrives,
 * the process exits anyway so systemd never has to SIGKILL it.
 */
export function installShutdown(options: {
  log: Logger;
  stopAll: () => Promise<void>;
  deadlineMs?: number;
  exit?: (code: number) => void;
}): { shutdown: (reason: string) => Promise<void> } {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const deadlineMs = options.deadlineMs ?? 5_000;
  let stopping: Promise<void> | undefined;

  const shutdown = (reason: string): Promise<void> => {
    if (stopping) {
      options.log.warn(`${reason} again; exiting without waiting`);
      exit(EXIT.failure);
      return stopping;
    }
    options.log.info(`${reason}; stopping`);
    const timer = setTimeout(() => {
      options.log.error(`services did not stop within ${deadlineMs} ms; exiting anyway`);
      exit(EXIT.failure);
    }, deadlineMs);
    timer.unref();
    stopping = options.stopAll().then(
      () => {
        clearTimeout(timer);
        options.log.info("stopped cleanly");
        exit(EXIT.ok);
      },
      (err: unknown) => {
        clearTimeout(timer);
        options.log.error({ err }, "stopping failed");
        exit(EXIT.failure);
      },
    );
    return stopping;
  };

  process.on("SIGTERM", () => void shutdown("SIGTERM received"));
  process.on("SIGINT", () => void shutdown("SIGINT received"));
  return { shutdown };
}
