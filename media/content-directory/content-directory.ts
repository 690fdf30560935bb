import type { RequestContext, SoapAction, SoapService } from "../soap/index.js";
import {
  browseAction,
  type BrowseLibrary,
  type BrowseSettings,
  type DidlClientOptions,
} from "./browse-action.js";
import { DidlFragments } from "./didl-fragments.js";
import { searchAction, type SearchRunner } from "./search-action.js";
import { MusicFolderHints } from "./music-folder-hints.js";
import { getFeatureList, setBookmark } from "./samsung-actions.js";
import { SORT_CAPABILITIES } from "./sort-criteria.js";

export const CONTENT_DIRECTORY_TYPE = "urn:schemas-upnp-org:service:ContentDirectory:1";

/** Default cap on one Browse's Result, RequestedCount 0 included (CDS:1 lets a server return fewer). */
const MAX_RESULTS = 5000;

/**
 * Rendered items kept for Browse: escaped DIDL of about 1 030 characters an item (measured on the
 * bench corpus), so the default holds every track of a 20 000-file library, which is what makes a
 * page cost the same whatever its container's size (rendering was most of a page's CPU).
 */
const MAX_FRAGMENT_CHARS = 24 * 2 ** 20;

export interface ContentDirectoryOptions {
  /** The library's read side (a `Library`). */
  library: BrowseLibrary;
  /** Search: what runs it and the properties it supports (SearchCaps). Without it, Search is 401. */
  search?: { run: SearchRunner; capabilities: string };
  /** Per-request rendering from the client's profile (subtitle res, DLNA.ORG_PN). Default: all on. */
  clientOptions?: (request: RequestContext) => DidlClientOptions;
  /**
   * Most objects one Browse returns, RequestedCount 0 ("all") included: a client pages on with
   * StartingIndex, and one request never builds a Result of tens of MiB. Default 5 000.
   */
  maxResults?: number;
  /** Budget of the rendered-item cache, in characters (about bytes). Default 24 Mi. */
  maxFragmentChars?: number;
}

/**
 * The ContentDirectory:1 service for `runSoapControl`: Browse, GetSearchCapabilities,
 * GetSortCapabilities, GetSystemUpdateID, Samsung's X_GetFeatureList and X_SetBookmark, and
 * Search when `search` is given. Out-arguments follow the standard SCPD's order. Holds no
 * resources; build one per media service start.
 */
export function contentDirectory(options: ContentDirectoryOptions): SoapService {
  const { library } = options;
  const searchCaps = options.search?.capabilities ?? "";
  const settings: BrowseSettings = {
    library,
    maxResults: Math.max(1, Math.floor(options.maxResults ?? MAX_RESULTS)),
    isSearchable: options.search !== undefined,
    hints: new MusicFolderHints(),
    fragments: new DidlFragments(options.maxFragmentChars ?? MAX_FRAGMENT_CHARS),
    clientOptions: options.clientOptions,
  };
  const actions: Record<string, SoapAction> = {
    Browse: browseAction(settings),
    GetSearchCapabilities: () => [["SearchCaps", searchCaps]],
    GetSortCapabilities: () => [["SortCaps", SORT_CAPABILITIES]],
    GetSystemUpdateID: () => [["Id", library.systemUpdateId()]],
    X_GetFeatureList: getFeatureList,
    X_SetBookmark: setBookmark,
  };
  if (options.search !== undefined) actions.Search = searchAction(settings, options.search.run);
  return { serviceType: CONTENT_DIRECTORY_TYPE, actions: Object.freeze(actions) };
}
