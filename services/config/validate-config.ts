import type { ConfigPositions } from "./config-positions.js";
import { ConfigError } from "./config-error.js";
import { friendlyErrorMap } from "./error-map.js";
import { hearthConfigSchema, type HearthConfig } from "./hearth-config-schema.js";
import { issuesToProblems } from "./issues-to-problems.js";

/**
 * Checks parsed config data against the schema and fills in defaults.
 * @param data what the YAML held (empty values already dropped), or the embedded default.
 * @param source the file it came from and where each key sits in it, for the error positions.
 * @throws ConfigError listing every problem, one per problem.
 */
export function validateConfig(
  data: unknown,
  source: { readonly file: string | null; readonly positions: ConfigPositions },
): HearthConfig {
  const result = hearthConfigSchema.safeParse(data, {
    error: friendlyErrorMap(hearthConfigSchema, data),
  });
  if (result.success) return result.data;
  throw new ConfigError(
    issuesToProblems(result.error.issues, { ...source, root: hearthConfigSchema, data }),
  );
}
