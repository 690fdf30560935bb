import { statSync } from "node:fs";
import { resolve } from "node:path";

/** Where a system install keeps its config. */
export const DEFAULT_CONFIG_PATH = "/etc/hearth/hearth.yaml";

/** Who chose the config file: `--config`, `$HEARTH_CONFIG`, the default path, or nobody. */
export type ConfigSource = "cli" | "env" | "default" | "embedded";

/** The config file to read, and who chose it; `path` is null for the embedded default. */
export interface ConfigLocation {
  readonly path: string | null;
  readonly source: ConfigSource;
}

/**
 * Picks the config file: `--config`, else `$HEARTH_CONFIG`, else `defaultPath` when it exists,
 * else none (the embedded default). A path the user named is returned even when it does not
 * exist, so reading it reports the mistake; a missing default path is normal.
 */
export function resolveConfigPath(options: {
  cliPath?: string | undefined;
  env: NodeJS.ProcessEnv;
  defaultPath: string;
}): ConfigLocation {
  if (options.cliPath) return { path: resolve(options.cliPath), source: "cli" };
  const fromEnv = options.env.HEARTH_CONFIG;
  if (fromEnv) return { path: resolve(fromEnv), source: "env" };
  return isAbsent(options.defaultPath)
    ? { path: null, source: "embedded" }
    : { path: options.defaultPath, source: "default" };
}

function isAbsent(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false }) === undefined;
  } catch (err) {
    // ENOTDIR: a parent is a file, so the config cannot be there. Anything else (EACCES) means it
    // may well exist: say it is there and let the read report the real problem.
    return (err as NodeJS.ErrnoException).code === "ENOTDIR";
  }
}
