import { UpnpError, upnpErrors } from "../soap/index.js";
import type { RelationalOperator } from "./search-expression.js";

/** One lexical unit of a SearchCriteria; `at` is its offset, for the log. */
export type SearchToken =
  | { type: "open" | "close"; at: number }
  | { type: "operator"; text: RelationalOperator; at: number }
  | { type: "string"; text: string; at: number }
  /** A property name, a word operator, a logical operator or a boolean: the parser decides. */
  | { type: "word"; text: string; at: number };

/** wChar (§2.5.5): space, tab, line feed, vertical tab, form feed, carriage return. */
export function isSearchSpace(char: string | undefined): boolean {
  return (
    char === " " ||
    char === "\t" ||
    char === "\n" ||
    char === "\v" ||
    char === "\f" ||
    char === "\r"
  );
}

/** Characters that end a word, so `dc:title="x"` and `"x"and(` split where a reader expects. */
const DELIMITERS = new Set(["(", ")", '"', "=", "!", "<", ">"]);

/** Throws the Search error (708) with `detail` for the log. */
export function criteriaError(detail: string): never {
  throw new UpnpError(upnpErrors.unsupportedSearchCriteria, `SearchCriteria: ${detail}`);
}

/**
 * Splits SearchCriteria text into tokens in one pass. Whitespace is needed only where two words
 * would otherwise run together; around symbols it is optional (clients differ). A backslash in a
 * quoted value escapes `"` and `\` (§2.5.5 escapedQuote); before any other character it stands
 * for itself, since clients such as Kodi put the user's text in quotes without escaping it.
 */
export function searchTokens(text: string): SearchToken[] {
  const tokens: SearchToken[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at];
    if (isSearchSpace(char)) {
      at += 1;
    } else if (char === "(" || char === ")") {
      tokens.push({ type: char === "(" ? "open" : "close", at });
      at += 1;
    } else if (char === '"') {
      at = quoted(text, at, tokens);
    } else if (char === "=" || char === "!" || char === "<" || char === ">") {
      at = operator(text, at, tokens);
    } else {
      const start = at;
      while (at < text.length && !isSearchSpace(text[at]) && !DELIMITERS.has(text[at] ?? "")) {
        at += 1;
      }
      tokens.push({ type: "word", text: text.slice(start, at), at: start });
    }
  }
  return tokens;
}

function quoted(text: string, start: number, tokens: SearchToken[]): number {
  let value = "";
  let at = start + 1;
  while (at < text.length) {
    const char = text[at];
    if (char === '"') {
      tokens.push({ type: "string", text: value, at: start });
      return at + 1;
    }
    const next = text[at + 1];
    if (char === "\\" && (next === '"' || next === "\\")) {
      value += next;
      at += 2;
    } else {
      value += char;
      at += 1;
    }
  }
  return criteriaError(`unterminated quoted value starting at ${start}`);
}

function operator(text: string, at: number, tokens: SearchToken[]): number {
  const pair = text.slice(at, at + 2);
  if (pair === "!=" || pair === "<=" || pair === ">=") {
    tokens.push({ type: "operator", text: pair, at });
    return at + 2;
  }
  const char = text[at];
  if (char === "=" || char === "<" || char === ">") {
    tokens.push({ type: "operator", text: char, at });
    return at + 1;
  }
  return criteriaError(`"!" without "=" at ${at}`);
}
