import pino, { type DestinationStream, type Logger, type LevelWithSilent } from "pino";
import { journaldDestination } from "./journald-destination.js";

export type { Logger } from "pino";

/**
 * Keys whose values never reach a log line, wherever they sit in a logged object. Config secrets
 * are `{ file }`/`{ env }` references, but a resolved secret or a header can still be logged by
 * mistake; this is the net under that.
 */
export const REDACTED_KEYS = [
  "password",
  "secret",
  "token",
  "passwd",
  "authorization",
  "cookie",
  "set-cookie",
  "apiKey",
  "accessKey",
  "secretAccessKey",
  "csrf",
] as const;

const redactPaths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Per-service levels, e.g. { pbx: "debug" }; applied by `serviceLogger`. */
  serviceLevels?: Record<string, LevelWithSilent>;
  /** Where lines go; default: pretty on a TTY, journald-prefixed JSON under systemd, else JSON. */
  destination?: DestinationStream;
  env?: NodeJS.ProcessEnv;
  isTty?: boolean;
}

/** The process-wide root logger. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const isTty = options.isTty ?? process.stdout.isTTY === true;
  const destination = options.destination ?? defaultDestination(env, isTty);
  const logger = pino(
    {
      level: options.level ?? "info",
      base: undefined,
      redact: { paths: redactPaths, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  serviceLevels.set(logger, options.serviceLevels ?? {});
  return logger;
}

const serviceLevels = new WeakMap<Logger, Record<string, LevelWithSilent>>();

/** A child logger `{ svc: name }` with the service's own level when config sets one. */
export function serviceLogger(root: Logger, name: string): Logger {
  const child = root.child({ svc: name });
  const level = serviceLevels.get(root)?.[name];
  if (level !== undefined) child.level = level;
  return child;
}

function defaultDestination(env: NodeJS.ProcessEnv, isTty: boolean): DestinationStream {
  if (isTty) {
    // Imported lazily through pino's transport so a headless box never loads pino-pretty.
    return pino.transport({
      target: "pino-pretty",
      options: { colorize: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname" },
    }) as DestinationStream;
  }
  if (env.JOURNAL_STREAM) return journaldDestination(process.stdout);
  return pino.destination({ dest: 1, sync: true });
}
