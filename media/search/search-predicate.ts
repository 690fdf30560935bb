import type { LibraryObject } from "../library/index.js";
import type { SearchExpression } from "./search-expression.js";
import { propertyValues } from "./search-values.js";
import { valueTest } from "./value-test.js";

/** A compiled SearchCriteria: true when the object matches. */
export type SearchPredicate = (object: LibraryObject) => boolean;

/**
 * Compiles an expression into closures once per request, so each object costs only the value
 * reads and compares. A compare on a property the object lacks is false, whatever the operator
 * ("!=" and doesNotContain included, as in SQL and MiniDLNA); only `exists false` matches it.
 * Recursion follows the expression's depth, which the parser bounds.
 */
export function searchPredicate(expression: SearchExpression): SearchPredicate {
  switch (expression.kind) {
    case "and": {
      const operands = expression.operands.map(searchPredicate);
      return (object) => operands.every((isMatch) => isMatch(object));
    }
    case "or": {
      const operands = expression.operands.map(searchPredicate);
      return (object) => operands.some((isMatch) => isMatch(object));
    }
    case "exists": {
      const valueOf = propertyValues[expression.property];
      const isPresent = expression.isPresent;
      return (object) => (valueOf(object) !== undefined) === isPresent;
    }
    case "compare": {
      const valueOf = propertyValues[expression.property];
      const test = valueTest(expression.property, expression.operator, expression.value);
      return (object) => {
        const value = valueOf(object);
        return value !== undefined && test(value);
      };
    }
  }
}
