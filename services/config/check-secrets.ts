import { HearthError } from "../errors.js";
import type { ConfigProblem } from "./config-error.js";
import { findSecretRefs } from "./find-secret-refs.js";
import { formatPath } from "./format-path.js";
import { hearthConfigSchema } from "./hearth-config-schema.js";
import type { LoadedConfig } from "./load-config.js";
import { resolveSecret } from "./secret-ref.js";

/** Options for {@link checkSecrets}. */
export interface CheckSecretsOptions {
  /** Environment for `{ env: … }` references; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Only check references under this key path, e.g. ["pbx"] before starting the phone service. */
  readonly under?: readonly string[];
}

/**
 * Tries every secret reference in a loaded config and returns one problem per secret that cannot
 * be resolved (missing or unreadable file, unset variable), placed at the reference in the file.
 * For `hearth config check`; the secret values themselves are read and dropped, never returned.
 */
export function checkSecrets(
  loaded: LoadedConfig,
  options: CheckSecretsOptions = {},
): ConfigProblem[] {
  const under = options.under ?? [];
  return findSecretRefs(hearthConfigSchema, loaded.config)
    .filter(({ path }) => under.every((key, i) => path[i] === key))
    .flatMap(({ path, ref }): ConfigProblem[] => {
      try {
        resolveSecret(ref, options.env);
        return [];
      } catch (err) {
        if (!(err instanceof HearthError)) throw err;
        const position = loaded.positions.of(path);
        return [
          {
            file: loaded.file,
            ...(position && { line: position.line, column: position.column }),
            path: formatPath(path),
            message: err.message,
          },
        ];
      }
    });
}
