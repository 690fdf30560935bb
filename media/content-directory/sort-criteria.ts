import { sortProperties, type ChildSort, type SortProperty } from "../library/index.js";
import { UpnpError, upnpErrors } from "../soap/index.js";

const SUPPORTED: ReadonlySet<string> = new Set(sortProperties);

/** GetSortCapabilities' SortCaps: the properties a SortCriteria may name. */
export const SORT_CAPABILITIES = sortProperties.join(",");

/**
 * Parses a SortCriteria argument (ContentDirectory:1 §2.5.8): "+dc:title,-dc:date" → terms in
 * order. "" (or only spaces) is the container's default order. A term without a sign sorts
 * ascending (some control points leave out "+"); empty terms are skipped; a repeated property
 * keeps its first term, since a later one cannot change the order. A property outside
 * `sortProperties`, or anything that is not a property name, is UpnpError 709.
 */
export function parseSortCriteria(text: string): ChildSort[] {
  const terms: ChildSort[] = [];
  for (const raw of text.split(",")) {
    const term = raw.trim();
    if (term === "") continue;
    const sign = term[0];
    const isSigned = sign === "+" || sign === "-";
    const property = isSigned ? term.slice(1) : term;
    if (!SUPPORTED.has(property)) {
      throw new UpnpError(upnpErrors.unsupportedSortCriteria, `cannot sort on "${term}"`);
    }
    if (terms.some((t) => t.property === property)) continue;
    terms.push(
      sign === "-"
        ? { property: property as SortProperty, isDescending: true }
        : { property: property as SortProperty },
    );
  }
  return terms;
}
