import {
  isSearchProperty,
  propertyKinds,
  type SearchExpression,
  type SearchOperator,
  type SearchProperty,
} from "./search-expression.js";
import { criteriaError, searchTokens, type SearchToken } from "./search-tokens.js";
import { parseDuration, parseNumber } from "./search-values.js";

/** Longer criteria are refused (708): no client sends more than a few hundred characters. */
export const MAX_CRITERIA_CHARS = 4096;
/** Deepest parenthesis nesting accepted; the parser's recursion is bounded by it. */
export const MAX_NESTING = 32;

const WORD_OPERATORS: ReadonlyMap<string, SearchOperator | "exists"> = new Map([
  ["contains", "contains"],
  ["doesnotcontain", "doesNotContain"],
  ["derivedfrom", "derivedfrom"],
  ["exists", "exists"],
]);

/**
 * Parses a SearchCriteria argument (ContentDirectory:1 §2.5.5, already XML-unescaped): "*" is
 * "all"; otherwise a SearchExpression where "and" binds tighter than "or". Keywords (and, or,
 * contains, doesNotContain, derivedfrom, exists, true, false) are case-insensitive; property
 * names are not. An empty or blank criteria is taken as "*": some control points send it for
 * "no restriction". A syntax error, an unknown property or operator, `derivedfrom` on anything but
 * upnp:class, a non-numeric value compared with a number or duration, more than
 * MAX_CRITERIA_CHARS characters or MAX_NESTING parentheses deep: UpnpError 708, nothing else.
 */
export function parseSearchCriteria(text: string): SearchExpression | "all" {
  if (typeof text !== "string") return criteriaError("not text");
  if (text.length > MAX_CRITERIA_CHARS) {
    return criteriaError(`${text.length} characters, more than ${MAX_CRITERIA_CHARS}`);
  }
  const tokens = searchTokens(text);
  const [first] = tokens;
  if (first === undefined) return "all";
  if (tokens.length === 1 && first.type === "word" && first.text === "*") return "all";
  return new CriteriaParser(tokens).criteria();
}

/** Recursive descent over the tokens: orExp := andExp ("or" andExp)*, and so on down. */
class CriteriaParser {
  readonly #tokens: readonly SearchToken[];
  #next = 0;
  #depth = 0;

  constructor(tokens: readonly SearchToken[]) {
    this.#tokens = tokens;
  }

  criteria(): SearchExpression {
    const expression = this.#or();
    const extra = this.#tokens[this.#next];
    if (extra !== undefined) criteriaError(`unexpected ${describe(extra)}`);
    return expression;
  }

  #or(): SearchExpression {
    const operands = [this.#and()];
    while (this.#isKeyword("or")) {
      this.#next += 1;
      operands.push(this.#and());
    }
    return operands.length === 1 ? (operands[0] as SearchExpression) : { kind: "or", operands };
  }

  #and(): SearchExpression {
    const operands = [this.#primary()];
    while (this.#isKeyword("and")) {
      this.#next += 1;
      operands.push(this.#primary());
    }
    return operands.length === 1 ? (operands[0] as SearchExpression) : { kind: "and", operands };
  }

  #primary(): SearchExpression {
    const token = this.#take("an expression");
    if (token.type !== "open") return this.#relation(token);
    if (this.#depth >= MAX_NESTING)
      criteriaError(`nested deeper than ${MAX_NESTING} at ${token.at}`);
    this.#depth += 1;
    const inner = this.#or();
    const close = this.#take('")"');
    if (close.type !== "close") criteriaError(`expected ")" but found ${describe(close)}`);
    this.#depth -= 1;
    return inner;
  }

  #relation(token: SearchToken): SearchExpression {
    if (token.type !== "word")
      return criteriaError(`expected a property, found ${describe(token)}`);
    if (!isSearchProperty(token.text)) {
      return criteriaError(`unsupported property "${token.text.slice(0, 40)}" at ${token.at}`);
    }
    const property = token.text;
    const operator = this.#operator();
    if (operator === "exists") return { kind: "exists", property, isPresent: this.#boolean() };
    const value = this.#take("a quoted value");
    if (value.type !== "string") criteriaError(`expected a quoted value, found ${describe(value)}`);
    checkOperand(property, operator, value.text, value.at);
    return { kind: "compare", property, operator, value: value.text };
  }

  #operator(): SearchOperator | "exists" {
    const token = this.#take("an operator");
    if (token.type === "operator") return token.text;
    const word = token.type === "word" ? WORD_OPERATORS.get(token.text.toLowerCase()) : undefined;
    return word ?? criteriaError(`expected an operator, found ${describe(token)}`);
  }

  #boolean(): boolean {
    const token = this.#take("true or false");
    const word = token.type === "word" ? token.text.toLowerCase() : "";
    if (word !== "true" && word !== "false") {
      criteriaError(`expected true or false, found ${describe(token)}`);
    }
    return word === "true";
  }

  #take(expected: string): SearchToken {
    const token = this.#tokens[this.#next];
    if (token === undefined) return criteriaError(`expected ${expected} at the end`);
    this.#next += 1;
    return token;
  }

  #isKeyword(keyword: string): boolean {
    const token = this.#tokens[this.#next];
    return token?.type === "word" && token.text.toLowerCase() === keyword;
  }
}

/** What a compare can never mean here is refused at parse time, not silently never matched. */
function checkOperand(
  property: SearchProperty,
  operator: SearchOperator,
  value: string,
  at: number,
) {
  const kind = propertyKinds[property];
  if (operator === "derivedfrom" && kind !== "class") {
    criteriaError(`derivedfrom applies to upnp:class only, not ${property}`);
  }
  if (operator === "contains" || operator === "doesNotContain") return;
  if (kind === "number" && parseNumber(value) === undefined) {
    criteriaError(`${property} ${operator} needs a number, got "${value.slice(0, 40)}" at ${at}`);
  }
  if (kind === "duration" && parseDuration(value) === undefined) {
    criteriaError(
      `${property} ${operator} needs a duration H:MM:SS[.mmm], got "${value.slice(0, 40)}" at ${at}`,
    );
  }
}

function describe(token: SearchToken): string {
  const where = ` at ${token.at}`;
  switch (token.type) {
    case "open":
      return `"("${where}`;
    case "close":
      return `")"${where}`;
    case "string":
      return `a quoted value${where}`;
    default:
      return `"${token.text.slice(0, 40)}"${where}`;
  }
}
