import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { ConfigPositions } from "./config-positions.js";
import { DEFAULT_CONFIG_PATH, resolveConfigPath, type ConfigSource } from "./config-path.js";
import { ConfigError } from "./config-error.js";
import { embeddedDefault } from "./embedded-default.js";
import type { HearthConfig } from "./hearth-config-schema.js";
import { parseConfigText } from "./parse-config-text.js";
import { validateConfig } from "./validate-config.js";

/** Inputs to {@link loadConfig}; every one has a production default. */
export interface LoadConfigOptions {
  /** The `--config` flag. */
  readonly path?: string | undefined;
  /** Environment for `$HEARTH_CONFIG` and the embedded default; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** The system config path; default /etc/hearth/hearth.yaml. */
  readonly defaultPath?: string;
  /** Home folder for the embedded default's media folders; default os.homedir(). */
  readonly homeDir?: string;
}

/** A validated config and where it came from. */
export interface LoadedConfig {
  /** Every option, defaults filled in. Secrets are still references: see resolveSecret. */
  readonly config: HearthConfig;
  /** The file read, or null when running on the embedded default. */
  readonly file: string | null;
  /** Who chose the file. */
  readonly source: ConfigSource;
  /** Key path → line and column in `file`, for problems found later (checkSecrets). */
  readonly positions: ConfigPositions;
}

/**
 * Finds, reads and validates the config: `--config`, else `$HEARTH_CONFIG`, else
 * /etc/hearth/hearth.yaml, else the embedded default (no file at all is normal). Secrets are not
 * read here; the daemon resolves them per enabled service, `hearth config check` via checkSecrets.
 * @throws ConfigError with every problem: a named file that is missing or unreadable, broken YAML,
 * or values the schema refuses.
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const env = options.env ?? process.env;
  const location = resolveConfigPath({
    cliPath: options.path,
    env,
    defaultPath: options.defaultPath ?? DEFAULT_CONFIG_PATH,
  });
  if (location.path === null) {
    const positions = ConfigPositions.none();
    const data = embeddedDefault({ homeDir: options.homeDir ?? homedir(), env });
    return {
      config: validateConfig(data, { file: null, positions }),
      file: null,
      source: "embedded",
      positions,
    };
  }
  const text = readConfigFile(location.path, location.source);
  const { config, positions } = parseConfigText(text, location.path);
  return { config, file: location.path, source: location.source, positions };
}

function readConfigFile(file: string, source: ConfigSource): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const message = unreadable((err as NodeJS.ErrnoException).code, source);
    throw new ConfigError([{ file, path: "", message }], { cause: err });
  }
}

function unreadable(code: string | undefined, source: ConfigSource): string {
  switch (code) {
    case "ENOENT": {
      const namedBy: Partial<Record<ConfigSource, string>> = {
        cli: " named by --config",
        env: " named by $HEARTH_CONFIG",
      };
      return `the config file${namedBy[source] ?? ""} does not exist; create it (etc/hearth.example.yaml shows every option) or correct the path`;
    }
    case "EACCES":
    case "EPERM":
      return "the config file cannot be read by this user (permission denied); make it readable by the user hearth runs as";
    case "EISDIR":
      return "this is a directory; name the YAML file itself";
    default:
      return `the config file cannot be read (${code ?? "unknown error"})`;
  }
}
