import { z } from "zod";
import type { ConfigPositions } from "./config-positions.js";
import type { ConfigProblem } from "./config-error.js";
import { didYouMean } from "./did-you-mean.js";
import { formatPath } from "./format-path.js";
import { schemaAt } from "./schema-at.js";

/** What {@link issuesToProblems} needs to place and explain issues. */
export interface IssueSource {
  /** The config file, or null for the embedded default. */
  readonly file: string | null;
  readonly positions: ConfigPositions;
  /** The schema that was checked, to list known keys for "did you mean". */
  readonly root: z.core.$ZodType;
  /** The data that was checked. */
  readonly data: unknown;
}

/**
 * Turns zod issues (already worded by the friendly error map) into problems placed in the file:
 * one per problem, so an issue listing three unknown keys becomes three problems, each at its key
 * with a "did you mean" when a known key is close. Sorted in file order.
 */
export function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  source: IssueSource,
): ConfigProblem[] {
  const problems = issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) =>
        place(source, [...issue.path, key], "key", unknownKey(source, issue.path, key)),
      );
    }
    const at = issue.code === "invalid_key" ? "key" : "value";
    return [place(source, issue.path, at, issue.message)];
  });
  // Union branches can report the same thing twice; say it once.
  const unique = new Map(problems.map((p) => [`${p.line}:${p.column}:${p.path}:${p.message}`, p]));
  return [...unique.values()].sort(
    (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0),
  );
}

function place(
  source: IssueSource,
  path: readonly PropertyKey[],
  at: "key" | "value",
  message: string,
): ConfigProblem {
  const position = source.positions.of(path, at);
  return {
    file: source.file,
    ...(position && { line: position.line, column: position.column }),
    path: formatPath(path),
    message,
  };
}

function unknownKey(source: IssueSource, path: readonly PropertyKey[], key: string): string {
  const parent = schemaAt(source.root, path, source.data)?.core;
  const known = parent instanceof z.ZodObject ? Object.keys(parent.shape) : [];
  const guess = didYouMean(key, known);
  if (guess !== undefined) return `unknown option; did you mean \`${guess}\`?`;
  if (known.length === 0) return "unknown option";
  return `unknown option; expected one of ${known.join(", ")}`;
}
