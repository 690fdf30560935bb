import type { ChildSort, LibraryObject } from "../library/index.js";
import type { SoapAction, SoapOutArgs } from "../soap/index.js";
import { didlWriterFor, noSuchObject, result, type BrowseSettings } from "./browse-action.js";
import { parseSortCriteria } from "./sort-criteria.js";
import { xboxAlias } from "./xbox-ids.js";

/**
 * What runs a search (media/search, wired by the server): parses the criteria (UpnpError 708 on
 * bad ones) and returns a page of matches, or undefined when `containerId` is no container.
 */
export type SearchRunner = (
  containerId: string,
  criteria: string,
  page: { sort: readonly ChildSort[]; start: number; count: number },
) => Promise<{ objects: LibraryObject[]; total: number } | undefined>;

/**
 * The Search action (ContentDirectory:1 §2.7.5): ContainerID, SearchCriteria, Filter,
 * StartingIndex, RequestedCount, SortCriteria → Result, NumberReturned, TotalMatches, UpdateID.
 * Rendered by the same DIDL writer as Browse, so a searched object looks exactly like the
 * browsed one.
 */
export function searchAction(settings: BrowseSettings, run: SearchRunner): SoapAction {
  return async (args, request): Promise<SoapOutArgs> => {
    const containerId = xboxAlias(args.string("ContainerID"), request, "search");
    const criteria = args.string("SearchCriteria", "*");
    const start = args.uint("StartingIndex", 0);
    const requested = args.uint("RequestedCount", 0);
    const sort = parseSortCriteria(args.string("SortCriteria", ""));
    const writer = didlWriterFor(args, request, settings);
    const count = requested === 0 ? settings.maxResults : Math.min(requested, settings.maxResults);
    const page = await run(containerId, criteria, { sort, start, count });
    if (page === undefined) throw noSuchObject(containerId);
    const container = await settings.library.getObject(containerId);
    const updateId =
      container?.isContainer === true ? container.updateId : settings.library.systemUpdateId();
    return result(writer, page.objects, page.total, updateId);
  };
}
