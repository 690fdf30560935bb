// The config module's public face. Leaf config schemas (media/, pbx/, storage/backup/,
// services/console/) import secret-ref.js and the other helpers directly, never this file: it
// imports their schemas, and the cycle would break module loading.
export { absolutePath } from "./absolute-path.js";
export { checkSecrets, type CheckSecretsOptions } from "./check-secrets.js";
export { ConfigError, formatProblem, type ConfigProblem } from "./config-error.js";
export {
  DEFAULT_CONFIG_PATH,
  resolveConfigPath,
  type ConfigLocation,
  type ConfigSource,
} from "./config-path.js";
export { ConfigPositions, type SourcePosition } from "./config-positions.js";
export { resolveDataDir, type DataDirOptions } from "./data-dir.js";
export { embeddedDefault } from "./embedded-default.js";
export { findSecretRefs, type FoundSecretRef } from "./find-secret-refs.js";
export {
  hearthConfigSchema,
  logLevels,
  type HearthConfig,
  type HearthConfigInput,
} from "./hearth-config-schema.js";
export { hearthConfigJsonSchema } from "./json-schema.js";
export { loadConfig, type LoadConfigOptions, type LoadedConfig } from "./load-config.js";
export { ANY_ITEM, ANY_KEY, optionPaths, parseBranch } from "./option-paths.js";
export { parseConfigText, type ParsedConfig } from "./parse-config-text.js";
export { isSecretRefSchema, resolveSecret, secretRef, type SecretRef } from "./secret-ref.js";
export { userMediaDirs, type UserMediaDirs } from "./user-dirs.js";
export { validateConfig } from "./validate-config.js";
export type { MediaConfig, MediaRoot } from "../../media/config-schema.js";
export type { ExtensionConfig, PbxConfig, VoicemailSourceConfig } from "../../pbx/config-schema.js";
export type {
  BackupConfig,
  BackupDestination,
  BackupJobConfig,
} from "../../storage/backup/config-schema.js";
export type { ConsoleConfig, ConsolePortConfig } from "../console/config-schema.js";
