import type { ItemTextFilter } from "../library/index.js";
import type { SearchExpression, SearchProperty } from "./search-expression.js";
import { itemTextFilter } from "./search-text-filter.js";
import { valueTest } from "./value-test.js";

/**
 * Every upnp:class the library gives an object (media/library/library-object.ts). A class missing
 * here would never be searched for: test/media/search checks them against a browsed tree.
 */
export const itemClasses = [
  "object.item.audioItem.musicTrack",
  "object.item.videoItem",
  "object.item.imageItem.photo",
] as const;

export const containerClasses = {
  plain: "object.container",
  folder: "object.container.storageFolder",
  album: "object.container.album.musicAlbum",
  artist: "object.container.person.musicArtist",
  genre: "object.container.genre.musicGenre",
} as const;

/** The classes of objects a criteria can possibly match: what a Search must look at. */
export interface SearchReach {
  itemClasses: ReadonlySet<string>;
  containerClasses: ReadonlySet<string>;
  /** The criteria names @id or @parentID: which appearance of an item is looked at matters. */
  isPlacementSensitive: boolean;
  /** What matching items hold in their text facts (search-text-filter.ts), when known. */
  itemText?: ItemTextFilter;
}

type Truth = "yes" | "no" | "maybe";

const ALWAYS: ReadonlySet<SearchProperty> = new Set(["@id", "@parentID", "dc:title", "upnp:class"]);
const ALWAYS_ON_ITEMS: ReadonlySet<SearchProperty> = new Set(["res@size", "res@protocolInfo"]);
const ON_ALBUMS: ReadonlySet<SearchProperty> = new Set([
  "dc:creator",
  "dc:date",
  "upnp:artist",
  "upnp:albumArtist",
]);

/**
 * Which classes `criteria` may match, decided without any object: upnp:class compares are
 * evaluated for each class, properties a class never has are false, the rest is unknown, and
 * and/or combine in three-valued logic. `upnp:class derivedfrom "object.item.audioItem" and ...`
 * reaches music tracks only, so no container is read to answer it.
 */
export function searchReach(criteria: SearchExpression | "all"): SearchReach {
  const reaches = (upnpClass: string, isContainer: boolean): boolean =>
    criteria === "all" || truth(criteria, upnpClass, isContainer) !== "no";
  const reach: SearchReach = {
    itemClasses: new Set(itemClasses.filter((c) => reaches(c, false))),
    containerClasses: new Set(Object.values(containerClasses).filter((c) => reaches(c, true))),
    isPlacementSensitive: criteria !== "all" && namesPlacement(criteria),
  };
  const itemText = itemTextFilter(criteria);
  if (itemText !== undefined) reach.itemText = itemText;
  return reach;
}

function namesPlacement(expression: SearchExpression): boolean {
  switch (expression.kind) {
    case "and":
    case "or":
      return expression.operands.some(namesPlacement);
    default:
      return expression.property === "@id" || expression.property === "@parentID";
  }
}

function truth(expression: SearchExpression, upnpClass: string, isContainer: boolean): Truth {
  switch (expression.kind) {
    case "and":
    case "or": {
      const parts = expression.operands.map((e) => truth(e, upnpClass, isContainer));
      const decisive = expression.kind === "and" ? "no" : "yes";
      if (parts.includes(decisive)) return decisive;
      return parts.includes("maybe") ? "maybe" : (parts[0] ?? "maybe");
    }
    case "exists": {
      const presence = presenceOf(expression.property, upnpClass, isContainer);
      if (presence === "maybe") return "maybe";
      return (presence === "yes") === expression.isPresent ? "yes" : "no";
    }
    case "compare": {
      if (expression.property === "upnp:class") {
        const test = valueTest("upnp:class", expression.operator, expression.value);
        return test(upnpClass) ? "yes" : "no";
      }
      // A compare on a missing property is false; on a present one, it depends on the object.
      return presenceOf(expression.property, upnpClass, isContainer) === "no" ? "no" : "maybe";
    }
  }
}

/** Whether an object of this class has the property (propertyValues' rules). */
function presenceOf(property: SearchProperty, upnpClass: string, isContainer: boolean): Truth {
  if (ALWAYS.has(property)) return "yes";
  if (!isContainer) return ALWAYS_ON_ITEMS.has(property) ? "yes" : "maybe";
  return upnpClass === containerClasses.album && ON_ALBUMS.has(property) ? "maybe" : "no";
}
