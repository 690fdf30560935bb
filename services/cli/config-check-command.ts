import { checkSecrets, ConfigError, loadConfig } from "../config/index.js";
import { EXIT } from "../host/shutdown.js";

/**
 * `hearth config check [file]`: every problem, one per line (file:line:column: key: what is
 * wrong), then exit 1; or "ok" and exit 0. Secret references are resolved too, so a missing
 * password file is caught before the daemon needs it.
 */
export async function configCheckCommand(file: string | undefined): Promise<number> {
  try {
    const loaded = loadConfig({ path: file, env: process.env });
    const problems = checkSecrets(loaded);
    if (problems.length > 0) {
      process.stderr.write(`${new ConfigError(problems).format()}\n`);
      return EXIT.failure;
    }
    process.stdout.write(`${loaded.file ?? "built-in defaults"}: ok\n`);
    return EXIT.ok;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.format()}\n`);
    return EXIT.failure;
  }
}
