import { z } from "zod";
import { describeValue } from "./describe-value.js";
import { didYouMean } from "./did-you-mean.js";
import { schemaAt } from "./schema-at.js";

type RawIssue = z.core.$ZodRawIssue;

/**
 * A zod error map that words issues for people editing YAML: what was expected, with an example
 * or the allowed values, and what was found (`expected a number like 115200, got "fast"`). Custom
 * messages set on a schema win over it. `root` and `data` let it look up defaults and bounds.
 */
export function friendlyErrorMap(root: z.core.$ZodType, data: unknown): z.core.$ZodErrorMap {
  return (issue) => friendlyMessage(issue, root, data);
}

function friendlyMessage(
  issue: RawIssue,
  root: z.core.$ZodType,
  data: unknown,
): string | undefined {
  const got = `got ${describeValue(issue.input)}`;
  switch (issue.code) {
    case "invalid_type":
      return (
        `expected ${expectedType(issue.expected, issue.input, numberAt(root, issue.path, data))}, ${got}` +
        quotedHint(issue.expected, issue.input)
      );
    case "invalid_value":
      return oneOf(issue.values, issue.input);
    case "too_small":
    case "too_big":
      return `expected ${bounded(issue, numberAt(root, issue.path, data))}, ${got}`;
    case "invalid_format":
      return `expected ${formatText(issue)}, ${got}`;
    case "not_multiple_of":
      return `expected a multiple of ${issue.divisor}, ${got}`;
    case "invalid_union":
      if (issue.discriminator === undefined) return `expected one of the allowed forms, ${got}`;
      return oneOf(
        Array.isArray(issue.options) ? issue.options : [],
        fieldOf(issue.input, issue.discriminator),
      );
    case "invalid_key":
      return issue.issues[0]?.message ?? `expected a different name, ${got}`;
    case "unrecognized_keys":
      return `unknown option ${issue.keys.join(", ")}`;
    default:
      return undefined;
  }
}

/** `expected one of music, video, pictures, mixed, got "vidoe" (did you mean `video`?)` */
function oneOf(values: readonly unknown[], input: unknown): string {
  const list = values.map(String).join(", ");
  const strings = values.filter((v): v is string => typeof v === "string");
  const guess = typeof input === "string" ? didYouMean(input, strings) : undefined;
  return (
    `expected ${values.length === 1 ? list : `one of ${list}`}, got ${describeValue(input)}` +
    (guess === undefined ? "" : ` (did you mean \`${guess}\`?)`)
  );
}

function expectedType(expected: string, input: unknown, number: NumberFacts | undefined): string {
  switch (expected) {
    case "number":
      if (number?.example !== undefined) return `a number like ${number.example}`;
      return number === undefined ? "a number" : numberRange({ ...number, isInt: false });
    case "int":
      return `a whole number${number?.example === undefined ? "" : ` like ${number.example}`}`;
    case "string":
      return "a string";
    case "boolean":
      return "true or false";
    case "object":
    case "record":
    case "map":
      return "a mapping (key: value pairs)";
    case "array":
      return typeof input === "string" || typeof input === "number"
        ? `a list like [${input}]`
        : "a list";
    default:
      return expected;
  }
}

interface NumberFacts {
  isInt: boolean;
  min?: number;
  max?: number;
  example?: number;
}

function numberAt(
  root: z.core.$ZodType,
  path: PropertyKey[] | undefined,
  data: unknown,
): NumberFacts | undefined {
  const found = path === undefined ? undefined : schemaAt(root, path, data);
  if (found === undefined || !(found.core instanceof z.ZodNumber)) return undefined;
  const { minValue, maxValue, isInt } = found.core;
  const bound = (n: number | null) =>
    n === null || !Number.isFinite(n) || Math.abs(n) >= Number.MAX_SAFE_INTEGER ? undefined : n;
  const example = typeof found.defaultValue === "number" ? found.defaultValue : undefined;
  return { isInt, min: bound(minValue), max: bound(maxValue), example };
}

function numberRange(facts: NumberFacts): string {
  const kind = facts.isInt ? "a whole number" : "a number";
  if (facts.min !== undefined && facts.max !== undefined) {
    return `${kind} from ${facts.min} to ${facts.max}`;
  }
  if (facts.min !== undefined) return `${kind} of at least ${facts.min}`;
  if (facts.max !== undefined) return `${kind} of at most ${facts.max}`;
  return kind;
}

function bounded(
  issue: Extract<RawIssue, { code: "too_small" | "too_big" }>,
  number: NumberFacts | undefined,
): string {
  const small = issue.code === "too_small";
  const bound = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === "string") {
    if (small && bound === 1) return "a non-empty string";
    return `a string of ${small ? "at least" : "at most"} ${bound} characters`;
  }
  if (issue.origin === "array" || issue.origin === "set") {
    return `a list with ${small ? "at least" : "at most"} ${bound} ${bound === 1 ? "entry" : "entries"}`;
  }
  if (issue.inclusive === false) return `a number ${small ? "greater" : "less"} than ${bound}`;
  if (number !== undefined) return numberRange(number);
  return `a number of ${small ? "at least" : "at most"} ${bound}`;
}

function formatText(issue: Extract<RawIssue, { code: "invalid_format" }>): string {
  switch (issue.format) {
    case "regex":
      return `text matching ${issue.pattern ?? "the expected pattern"}`;
    case "url":
      return "a URL like https://example.com/path";
    case "starts_with":
      return `text starting with "${String(issue.prefix)}"`;
    case "ipv4":
      return "an IPv4 address like 192.168.1.10";
    case "ipv6":
      return "an IPv6 address";
    default:
      return `a valid ${issue.format}`;
  }
}

/** `port: "8200"` is a string in YAML; say what to change. */
function quotedHint(expected: string, input: unknown): string {
  if (typeof input !== "string") return "";
  const isNumber = (expected === "number" || expected === "int") && /^-?\d+(\.\d+)?$/.test(input);
  const isBoolean = expected === "boolean" && (input === "true" || input === "false");
  return isNumber || isBoolean ? " (write it without quotes)" : "";
}

function fieldOf(input: unknown, key: string): unknown {
  return input !== null && typeof input === "object"
    ? (input as Record<string, unknown>)[key]
    : input;
}
