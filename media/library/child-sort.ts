import type { LibraryObject } from "./library-object.js";
import { sortKeys } from "./sort-keys.js";

/** Properties a Browse may sort on (the server advertises them in GetSortCapabilities). */
export const sortProperties = [
  "dc:title",
  "dc:date",
  "dc:creator",
  "upnp:class",
  "upnp:album",
  "upnp:artist",
  "upnp:genre",
  "upnp:originalTrackNumber",
] as const;

export type SortProperty = (typeof sortProperties)[number];

/** One SortCriteria term: "+dc:title" is { property: "dc:title" }. */
export interface ChildSort {
  property: SortProperty;
  isDescending?: boolean;
}

type SortValue = string | number | undefined;

/**
 * Children in a client-requested order. Text compares like the default orders (case, accents
 * and punctuation ignored, numbers naturally); a missing value sorts last; ties keep the default
 * order, so the result is stable.
 */
export function childSort(
  objects: readonly LibraryObject[],
  sort: readonly ChildSort[],
): LibraryObject[] {
  const rows = objects.map((object, position) => ({
    object,
    position,
    values: sort.map((term) => sortValue(object, term.property)),
  }));
  rows.sort((a, b) => {
    for (let i = 0; i < sort.length; i += 1) {
      const x = a.values[i];
      const y = b.values[i];
      // A missing value sorts last in both directions: a descending sort must not put the
      // untagged tracks first.
      if (x === undefined || y === undefined) {
        if (x !== y) return x === undefined ? 1 : -1;
        continue;
      }
      const order = compareValues(x, y);
      if (order !== 0) return sort[i]?.isDescending === true ? -order : order;
    }
    return a.position - b.position;
  });
  return rows.map((row) => row.object);
}

function sortValue(object: LibraryObject, property: SortProperty): SortValue {
  if (property === "dc:title") return sortKeys(object.title);
  if (property === "upnp:class") return object.upnpClass;
  if (object.isContainer) {
    if (property === "dc:creator" || property === "upnp:artist") return text(object.artist);
    return property === "dc:date" ? object.year : undefined;
  }
  switch (property) {
    case "dc:date":
      return object.date ?? (object.year === undefined ? undefined : String(object.year));
    case "dc:creator":
    case "upnp:artist":
      return text(object.artist);
    case "upnp:album":
      return text(object.album);
    case "upnp:genre":
      return text(object.genre);
    case "upnp:originalTrackNumber":
      return object.trackNumber;
  }
}

function text(value: string | undefined): string | undefined {
  return value === undefined ? undefined : sortKeys(value);
}

function compareValues(a: string | number, b: string | number): number {
  if (a === b) return 0;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
