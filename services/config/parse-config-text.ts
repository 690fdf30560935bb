import { LineCounter, parseDocument, type YAMLError } from "yaml";
import { ConfigPositions } from "./config-positions.js";
import { ConfigError, type ConfigProblem } from "./config-error.js";
import type { HearthConfig } from "./hearth-config-schema.js";
import { validateConfig } from "./validate-config.js";

/** A config parsed from YAML text, with the way back from key paths to lines. */
export interface ParsedConfig {
  readonly config: HearthConfig;
  readonly positions: ConfigPositions;
}

/**
 * Parses and validates the text of a config file. Broken YAML is reported as every syntax error
 * the parser found, each at its line and column; valid YAML then goes through the schema. An empty
 * value (`key:` with nothing after it, or only commented-out children) counts as not set.
 * @param file the name used in problems (the path the text was read from).
 * @throws ConfigError listing every problem.
 */
export function parseConfigText(text: string, file: string): ParsedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((error) => yamlProblem(error, file)));
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    // toJS refuses alias bombs ("Excessive alias count") and similar; the document is unusable.
    const message = `cannot read the YAML: ${err instanceof Error ? err.message : String(err)}`;
    throw new ConfigError([{ file, path: "", message }], { cause: err });
  }
  const positions = new ConfigPositions(doc, lineCounter);
  return { config: validateConfig(withoutEmptyValues(data) ?? {}, { file, positions }), positions };
}

function yamlProblem(error: YAMLError, file: string): ConfigProblem {
  // prettyErrors appends " at line L, column C:" and a source excerpt; the position is ours to print.
  const message = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
  const start = error.linePos?.[0];
  return {
    file,
    ...(start && { line: start.line, column: start.col }),
    path: "",
    message: `invalid YAML: ${message}`,
  };
}

/** Drops mapping entries whose value is null, at every depth; list items are kept as they are. */
function withoutEmptyValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyValues);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutEmptyValues(v)]),
  );
}
