// ContentDirectory:1 for the media server: the SOAP service and the DIDL-Lite writer.
export {
  contentDirectory,
  CONTENT_DIRECTORY_TYPE,
  type ContentDirectoryOptions,
} from "./content-directory.js";
export type { BrowseLibrary, DidlClientOptions } from "./browse-action.js";
export {
  DidlWriter,
  didlDuration,
  DIDL_OPEN,
  DIDL_CLOSE,
  type DidlOptions,
} from "./didl-writer.js";
export { parseDidlFilter, FULL_FILTER, REQUIRED_FILTER, type DidlFilter } from "./didl-filter.js";
export { parseSortCriteria, SORT_CAPABILITIES } from "./sort-criteria.js";
export { protocolInfo, dlnaFeatures, THUMBNAIL_PROTOCOL_INFO } from "./protocol-info.js";
export { extensionForMime } from "./mime-extension.js";
export { MusicFolderHints } from "./music-folder-hints.js";
export { SAMSUNG_FEATURE_LIST } from "./samsung-actions.js";
