import type { ItemTextFilter } from "../library/index.js";
import type { SearchExpression, SearchProperty } from "./search-expression.js";
import { foldText } from "./search-values.js";

/** Properties whose item values are text facts as stored (search-values.ts propertyValues). */
const TEXT_FACTS: ReadonlySet<SearchProperty> = new Set([
  "dc:title",
  "dc:creator",
  "upnp:artist",
  "upnp:album",
  "upnp:genre",
  "upnp:albumArtist",
]);

/**
 * What every item matching `criteria` has in its text facts, for the library to skip the others
 * unread (Library.itemPages); undefined when the criteria says nothing usable. `contains` and
 * `=` on a text property both need the folded operand inside the value. Inside "and", parts that
 * say nothing are left out; an "or" with such a part says nothing as a whole.
 */
export function itemTextFilter(criteria: SearchExpression | "all"): ItemTextFilter | undefined {
  if (criteria === "all") return undefined;
  switch (criteria.kind) {
    case "and": {
      const parts = criteria.operands.map(itemTextFilter).filter((f) => f !== undefined);
      return parts.length === 0 ? undefined : { all: parts };
    }
    case "or": {
      const parts = criteria.operands.map(itemTextFilter);
      return parts.every((f) => f !== undefined) ? { any: parts } : undefined;
    }
    case "exists":
      return undefined;
    case "compare": {
      const isTextMatch = criteria.operator === "contains" || criteria.operator === "=";
      if (!isTextMatch || !TEXT_FACTS.has(criteria.property)) return undefined;
      return { contains: foldText(criteria.value) };
    }
  }
}
