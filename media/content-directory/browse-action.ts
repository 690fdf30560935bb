import type { ChildSort, Library, LibraryObject, LibraryPageIds } from "../library/index.js";
import {
  EscapedXml,
  UpnpError,
  upnpErrors,
  type RequestContext,
  type SoapAction,
  type SoapArgs,
  type SoapOutArgs,
  xmlEscape,
} from "../soap/index.js";
import { parseDidlFilter } from "./didl-filter.js";
import type { DidlFragments } from "./didl-fragments.js";
import { DIDL_CLOSE, DIDL_OPEN, DidlWriter, type DidlOptions } from "./didl-writer.js";
import type { MusicFolderHints } from "./music-folder-hints.js";
import { parseSortCriteria } from "./sort-criteria.js";
import { xboxAlias } from "./xbox-ids.js";

/** What Browse reads: the library's read side, nothing else. */
export type BrowseLibrary = Pick<Library, "getObject" | "children" | "childIds" | "systemUpdateId">;

/** Per-client rendering choices (from the client profile). */
export type DidlClientOptions = Pick<DidlOptions, "withSubtitles" | "withDlnaProfile">;

export interface BrowseSettings {
  library: BrowseLibrary;
  /** Most objects one Browse returns, RequestedCount 0 included. */
  maxResults: number;
  isSearchable: boolean;
  hints: MusicFolderHints;
  /** Rendered items kept between requests (absent: every page is rendered afresh). */
  fragments?: DidlFragments;
  clientOptions?: (request: RequestContext) => DidlClientOptions;
}

interface BrowseRequest {
  objectId: string;
  isMetadata: boolean;
  start: number;
  count: number;
  sort: ChildSort[];
  writer: DidlWriter;
}

/**
 * The Browse action (ContentDirectory:1 §2.7.4): ObjectID, BrowseFlag, Filter, StartingIndex,
 * RequestedCount, SortCriteria → Result, NumberReturned, TotalMatches, UpdateID. A page costs
 * what the library's `children` costs (O(page) once the container's list is cached) plus the
 * rendering of the page; nothing here depends on the container's size.
 */
export function browseAction(settings: BrowseSettings): SoapAction {
  return async (args, request) => {
    const browse = parseBrowse(args, request, settings);
    return browse.isMetadata ? metadata(browse, settings) : directChildren(browse, settings);
  };
}

/**
 * Validates the in-arguments (402 for a missing ObjectID or BrowseFlag, a BrowseFlag that is
 * neither value, or a count that is not a ui4; 709 for SortCriteria). Filter and SortCriteria
 * may be missing (some control points leave them out): "*" and the default order.
 */
function parseBrowse(
  args: SoapArgs,
  request: RequestContext,
  settings: BrowseSettings,
): BrowseRequest {
  const objectId = xboxAlias(args.string("ObjectID"), request, "browse");
  const flag = args.string("BrowseFlag");
  if (flag !== "BrowseMetadata" && flag !== "BrowseDirectChildren") {
    throw new UpnpError(upnpErrors.invalidArgs, `BrowseFlag "${flag.slice(0, 40)}"`);
  }
  const start = args.uint("StartingIndex", 0);
  const requested = args.uint("RequestedCount", 0);
  const asked = parseSortCriteria(args.string("SortCriteria", ""));
  // Some TVs (Panasonic, Roku) show the server's order as-is and expect titles A–Z everywhere.
  const sort: ChildSort[] =
    asked.length === 0 && request.quirks?.forceTitleSort === true
      ? [{ property: "dc:title" }]
      : asked;
  const writer = didlWriterFor(args, request, settings);
  const count = requested === 0 ? settings.maxResults : Math.min(requested, settings.maxResults);
  return { objectId, isMetadata: flag === "BrowseMetadata", start, count, sort, writer };
}

/** The DIDL writer for one request: its Filter, its client's options, its base URL. */
export function didlWriterFor(
  args: SoapArgs,
  request: RequestContext,
  settings: BrowseSettings,
): DidlWriter {
  return new DidlWriter({
    ...settings.clientOptions?.(request),
    baseUrl: request.baseUrl,
    filter: parseDidlFilter(args.string("Filter", "*")),
    isSearchable: settings.isSearchable,
    hasContainerArt: settings.hints.hasArt,
  });
}

async function metadata(browse: BrowseRequest, settings: BrowseSettings): Promise<SoapOutArgs> {
  const object = await settings.library.getObject(browse.objectId);
  if (object === undefined) throw noSuchObject(browse.objectId);
  // UpdateID is the container's own update id; an item has none, so the SystemUpdateID.
  const updateId = object.isContainer ? object.updateId : settings.library.systemUpdateId();
  return result(browse.writer, [object], 1, updateId);
}

async function directChildren(
  browse: BrowseRequest,
  settings: BrowseSettings,
): Promise<SoapOutArgs> {
  const { library } = settings;
  // Read before the page: a fragment rendered from objects older than an apply is not kept.
  const generation = library.systemUpdateId();
  const page = await library.childIds(browse.objectId, {
    start: browse.start,
    count: browse.count,
    sort: browse.sort,
  });
  if (page !== undefined) {
    const xml = await renderPage(browse.writer, page, generation, settings);
    return [
      ["Result", xml.escaped],
      ["NumberReturned", xml.count],
      ["TotalMatches", page.total],
      ["UpdateID", page.updateId],
    ];
  }
  if ((await library.getObject(browse.objectId)) === undefined) {
    throw noSuchObject(browse.objectId);
  }
  // An item has no children. CDS:1 lists no Browse error for this (710 is for Search and
  // CreateObject), and MiniDLNA answers an empty page: so does hearth.
  return result(browse.writer, [], 0, library.systemUpdateId());
}

const ESCAPED_OPEN = xmlEscape(DIDL_OPEN);
const ESCAPED_CLOSE = xmlEscape(DIDL_CLOSE);

/**
 * The page's DIDL-Lite, escaped for the envelope: items kept in `settings.fragments` are reused,
 * the rest (and every container) built and rendered. Objects gone since the ids were read are
 * left out, so `count` may be below the page's length.
 */
async function renderPage(
  writer: DidlWriter,
  page: LibraryPageIds,
  generation: number,
  settings: BrowseSettings,
): Promise<{ escaped: EscapedXml; count: number }> {
  const cache = settings.fragments;
  const parts: Array<string | undefined> = page.ids.map((id) => cache?.get(writer, generation, id));
  const missing = page.ids.filter((_, i) => parts[i] === undefined);
  if (missing.length > 0) {
    const built = new Map((await page.objects(missing)).map((object) => [object.id, object]));
    const current = settings.library.systemUpdateId();
    page.ids.forEach((id, i) => {
      if (parts[i] !== undefined) return;
      const object = built.get(id);
      if (object === undefined) return;
      parts[i] =
        object.isContainer || cache === undefined
          ? xmlEscape(writer.object(object))
          : cache.render(writer, object, generation, current);
    });
  }
  let xml = ESCAPED_OPEN;
  let count = 0;
  for (const part of parts) {
    if (part === undefined) continue;
    xml += part;
    count += 1;
  }
  return { escaped: new EscapedXml(xml + ESCAPED_CLOSE), count };
}

export function result(
  writer: DidlWriter,
  objects: readonly LibraryObject[],
  total: number,
  updateId: number,
): SoapOutArgs {
  return [
    ["Result", writer.document(objects)],
    ["NumberReturned", objects.length],
    ["TotalMatches", total],
    ["UpdateID", updateId],
  ];
}

export function noSuchObject(objectId: string): UpnpError {
  return new UpnpError(upnpErrors.noSuchObject, `no object "${objectId.slice(0, 80)}"`);
}
