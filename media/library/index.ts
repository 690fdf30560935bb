// The library's public face for the rest of media/ (indexer, ContentDirectory, streaming).
export { Library } from "./library.js";
export type {
  ItemFile,
  LibraryCounts,
  LibraryOptions,
  LibraryPage,
  LibraryPageIds,
  LibraryUpdate,
} from "./library-types.js";
export type {
  LibraryContainer,
  LibraryItem,
  LibraryObject,
  LibrarySubtitle,
} from "./library-object.js";
export { sortProperties, type ChildSort, type SortProperty } from "./child-sort.js";
export { fixedIds, parseObjectId } from "./object-ids.js";
export { ROOT_PARENT_ID } from "./fixed-containers.js";
export type { LibraryReadStats } from "./catalog-reader.js";
export type { ItemTextFilter } from "./item-text-filter.js";
