import {
  propertyKinds,
  type PropertyKind,
  type SearchOperator,
  type SearchProperty,
} from "./search-expression.js";
import {
  foldText,
  formatDuration,
  parseDuration,
  parseNumber,
  type SearchValue,
} from "./search-values.js";

/** One compare, compiled: does a present value satisfy `property operator "operand"`? */
export type ValueTest = (value: SearchValue) => boolean;

/** -1, 0 or 1 as the value sorts before, with or after the operand; NaN when incomparable. */
type Order = (value: SearchValue) => number;

/**
 * Compiles a compare once per request. contains/doesNotContain look in folded text (ids
 * excepted: they are exact); "=" on text is folded too, so "beyonce" = "Beyoncé"; derivedfrom is
 * the dotted-class prefix ("object.item.audioItem" covers "object.item.audioItem.musicTrack").
 */
export function valueTest(
  property: SearchProperty,
  operator: SearchOperator,
  operand: string,
): ValueTest {
  const kind = propertyKinds[property];
  if (operator === "contains" || operator === "doesNotContain") {
    const needle = kind === "id" ? operand : foldText(operand);
    const isWanted = operator === "contains";
    return (value) => searchableText(kind, value).includes(needle) === isWanted;
  }
  if (operator === "derivedfrom") {
    const prefix = `${operand}.`;
    return (value) => value === operand || String(value).startsWith(prefix);
  }
  const order = orderAgainst(kind, operand);
  switch (operator) {
    case "=":
      return (value) => order(value) === 0;
    case "!=":
      return (value) => {
        const sign = order(value);
        return sign < 0 || sign > 0;
      };
    case "<":
      return (value) => order(value) < 0;
    case "<=":
      return (value) => order(value) <= 0;
    case ">":
      return (value) => order(value) > 0;
    case ">=":
      return (value) => order(value) >= 0;
  }
}

function searchableText(kind: PropertyKind, value: SearchValue): string {
  if (kind === "id") return String(value);
  if (kind === "duration" && typeof value === "number") return formatDuration(value);
  return foldText(String(value));
}

function orderAgainst(kind: PropertyKind, operand: string): Order {
  switch (kind) {
    case "id":
    case "class":
      return (value) => compare(String(value), operand);
    case "text": {
      const folded = foldText(operand);
      return (value) => compare(foldText(String(value)), folded);
    }
    case "date":
      return (value) => compareDates(String(value), operand);
    case "number":
    case "duration": {
      // The parser has checked the operand; NaN (never equal, never ordered) if it was not.
      const target = (kind === "number" ? parseNumber(operand) : parseDuration(operand)) ?? NaN;
      return (value) => compare(Number(value), target);
    }
  }
}

function compare<T extends string | number>(a: T, b: T): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return a === b ? 0 : NaN;
}

/** "YYYY", "YYYY-MM", "YYYY-MM-DD", then "Thh", ":mm", ":ss": ISO 8601 dates cut short. */
const DATE_PREFIX = /^\d{4}(-\d{2}(-\d{2}(T\d{2}(:\d{2}(:\d{2})?)?)?)?)?$/;

/**
 * ISO 8601 dates in text order, at the precision of the coarser side when it is a date: an
 * album dated "1969" equals "1969-01-01" (and is >= and <= it), a photo of "2024-07-14T10:00:00"
 * equals "2024". Other text compares as text.
 */
export function compareDates(value: string, operand: string): number {
  const shorter = value.length <= operand.length ? value : operand;
  const length = DATE_PREFIX.test(shorter) ? shorter.length : undefined;
  return compare(value.slice(0, length), operand.slice(0, length));
}
