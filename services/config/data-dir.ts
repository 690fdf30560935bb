import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { HearthConfig } from "./hearth-config-schema.js";

/** Inputs to {@link resolveDataDir}. */
export interface DataDirOptions {
  /** The `--data` flag. */
  readonly cliData?: string | undefined;
  /** The loaded config; only `dataDir` is read. */
  readonly config: Pick<HearthConfig, "dataDir">;
  readonly env?: NodeJS.ProcessEnv;
  /** For tests; default os.homedir(). */
  readonly homeDir?: string;
}

/**
 * Where hearth keeps its catalog and state, as an absolute path: `--data`, else the config's
 * `dataDir`, else `$HEARTH_DATA`, else systemd's `$STATE_DIRECTORY` (its first entry when it
 * lists several), else `~/.local/share/hearth`. Does not create it.
 */
export function resolveDataDir(options: DataDirOptions): string {
  const env = options.env ?? process.env;
  const stateDirectory = env.STATE_DIRECTORY?.split(":")[0];
  const chosen =
    options.cliData || options.config.dataDir || env.HEARTH_DATA || stateDirectory || undefined;
  if (chosen !== undefined) return resolve(chosen);
  return join(options.homeDir ?? homedir(), ".local", "share", "hearth");
}
