import { z } from "zod";
import { mediaConfigSchema } from "../../media/config-schema.js";
import { pbxConfigSchema } from "../../pbx/config-schema.js";
import { backupConfigSchema } from "../../storage/backup/config-schema.js";
import { consoleConfigSchema } from "../console/config-schema.js";
import { absolutePath } from "./absolute-path.js";
import { describeValue } from "./describe-value.js";

/** pino's levels, quietest last. */
export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const logLevel = () => z.enum(logLevels);

const serviceName = z.string().regex(/^[a-z][a-z0-9-]*$/, {
  error: (issue) =>
    `expected a service name like media, pbx, backup or console, got ${describeValue(issue.input)}`,
});

/**
 * The whole config file. The top-level names are a contract users and scripts rely on (DESIGN,
 * "Config at a glance"); each role service owns the schema of its own section. Every option is
 * optional: `{}` parses to a complete config.
 */
export const hearthConfigSchema = z.strictObject({
  dataDir: absolutePath("/var/lib/hearth")
    .optional()
    .describe(
      "Where hearth keeps its catalog and state; default $HEARTH_DATA or ~/.local/share/hearth.",
    ),
  http: z
    .strictObject({
      port: z.number().int().min(1).max(65535).default(8200).describe("Dashboard and media port."),
      listen: z.string().min(1).default("0.0.0.0").describe("Address to listen on."),
    })
    .prefault({})
    .describe("The one HTTP port: dashboard, API, media streams."),
  log: z
    .strictObject({
      level: logLevel().default("info").describe("Log level."),
      services: z
        .record(serviceName, logLevel())
        .default({})
        .describe("Per-service log levels, e.g. { pbx: debug }."),
    })
    .prefault({})
    .describe("Logging."),
  media: mediaConfigSchema.prefault({}).describe("DLNA media server."),
  pbx: pbxConfigSchema.prefault({}).describe("Phones: SIP registrar, MWI, voicemail, Asterisk."),
  backup: backupConfigSchema.prefault({}).describe("restic backup jobs."),
  console: consoleConfigSchema.prefault({}).describe("USB serial consoles."),
});

/** The validated config with every default filled in. */
export type HearthConfig = z.output<typeof hearthConfigSchema>;
/** What may be written in the file (everything optional). */
export type HearthConfigInput = z.input<typeof hearthConfigSchema>;
