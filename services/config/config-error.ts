import { HearthError } from "../errors.js";

/**
 * One thing wrong with the config, placed in the file. Printed as
 * `/etc/hearth/hearth.yaml:14:11: console.ports.board1.baud: expected a number like 115200, got "fast"`.
 */
export interface ConfigProblem {
  /** The config file; null for the embedded default. */
  readonly file: string | null;
  /** 1-based line, when the problem has a place in the file (not for a missing file). */
  readonly line?: number;
  /** 1-based column, with `line`. */
  readonly column?: number;
  /** Key path like `console.ports.board1.baud`; "" for the file as a whole. */
  readonly path: string;
  /** What was expected and what was found, with a hint where one helps. Never holds a secret. */
  readonly message: string;
}

/** One problem as one line: `file:line:column: path: message`. */
export function formatProblem(problem: ConfigProblem): string {
  const place =
    (problem.file ?? "(embedded default)") +
    (problem.line === undefined ? "" : `:${problem.line}:${problem.column ?? 1}`);
  return `${place}: ${problem.path === "" ? "" : `${problem.path}: `}${problem.message}`;
}

/**
 * The config cannot be used: unreadable, broken YAML, or values the schema refuses. Carries every
 * problem found, not just the first, so one `hearth config check` shows the whole list.
 */
export class ConfigError extends HearthError {
  /** Every problem, in file order. */
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[], options: { cause?: unknown } = {}) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    const file = problems[0]?.file ?? "the config";
    super("E_CONFIG", `${file} has ${count}:\n${problems.map(formatProblem).join("\n")}`, {
      ...options,
      fix: "Correct the places listed, then run `hearth config check`.",
    });
    this.name = "ConfigError";
    this.problems = problems;
  }

  /** Every problem, one per line, in the `file:line:column: path: message` shape. */
  format(): string {
    return this.problems.map(formatProblem).join("\n");
  }
}
