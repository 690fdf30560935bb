import type { ChildSort, Library, LibraryObject } from "../library/index.js";
import type { SearchExpression } from "./search-expression.js";
import { SearchMatches } from "./search-matches.js";
import { searchPredicate } from "./search-predicate.js";
import { searchReach } from "./search-reach.js";
import { scopeObjects } from "./search-scope.js";

/** A page of a Search's result. */
export interface SearchOptions {
  /** SortCriteria terms; ties and the default order are dc:title, then the scan order. */
  sort?: readonly ChildSort[];
  start: number;
  /** 0 = every match from `start`. */
  count: number;
}

/**
 * Runs a Search (ContentDirectory:1 §2.7.5) below container `containerId` (the container itself
 * is not a candidate): `{objects, total}` for the requested page and TotalMatches, or undefined
 * when `containerId` is not a container (the caller answers 701). The criteria is compiled
 * once; objects are streamed from the library and only the page's worth of matches is kept
 * (SearchMatches). Which objects are looked at: `scopeObjects`. An item shown in several places
 * of the scope is one match: the first appearance (depth first, default order) that matches, so
 * `@parentID = "<album>"` finds the album's references even where All tracks comes first.
 */
export async function searchLibrary(
  library: Library,
  containerId: string,
  criteria: SearchExpression | "all",
  options: SearchOptions,
): Promise<{ objects: LibraryObject[]; total: number } | undefined> {
  const scope = await library.getObject(containerId);
  if (scope === undefined || !scope.isContainer) return undefined;
  const isMatch = criteria === "all" ? () => true : searchPredicate(criteria);
  const matches = new SearchMatches(options.sort ?? [], options.start, options.count);
  // Item ids of the matches so far: the only thing held besides the page.
  const matchedItems = new Set<string>();
  for await (const page of scopeObjects(library, containerId, searchReach(criteria))) {
    for (const object of page) {
      if (!isMatch(object)) continue;
      if (!object.isContainer) {
        if (matchedItems.has(object.itemId)) continue;
        matchedItems.add(object.itemId);
      }
      matches.add(object);
    }
  }
  return matches.result();
}
