import { arg, scpdXml, type ScpdSpec } from "./scpd-xml.js";

const RESULT_OUT = [
  arg.out("Result", "A_ARG_TYPE_Result"),
  arg.out("NumberReturned", "A_ARG_TYPE_Count"),
  arg.out("TotalMatches", "A_ARG_TYPE_Count"),
  arg.out("UpdateID", "A_ARG_TYPE_UpdateID"),
];
const PAGE_IN = [
  arg.in("Filter", "A_ARG_TYPE_Filter"),
  arg.in("StartingIndex", "A_ARG_TYPE_Index"),
  arg.in("RequestedCount", "A_ARG_TYPE_Count"),
  arg.in("SortCriteria", "A_ARG_TYPE_SortCriteria"),
];

/**
 * ContentDirectory:1 (UPnP AV, 2002) as hearth implements it: the required actions, Search, and
 * Samsung's two extensions (their TVs call X_GetFeatureList before browsing and X_SetBookmark
 * to resume). Names, order and types as the service template's tables 2.1 and 2.2 give them.
 * TransferIDs is left out: it is required only with ImportResource/ExportResource, which a
 * read-only server does not offer.
 */
export const CONTENT_DIRECTORY_SCPD_SPEC: ScpdSpec = {
  actions: [
    { name: "GetSearchCapabilities", arguments: [arg.out("SearchCaps", "SearchCapabilities")] },
    { name: "GetSortCapabilities", arguments: [arg.out("SortCaps", "SortCapabilities")] },
    { name: "GetSystemUpdateID", arguments: [arg.out("Id", "SystemUpdateID")] },
    {
      name: "Browse",
      arguments: [
        arg.in("ObjectID", "A_ARG_TYPE_ObjectID"),
        arg.in("BrowseFlag", "A_ARG_TYPE_BrowseFlag"),
        ...PAGE_IN,
        ...RESULT_OUT,
      ],
    },
    {
      name: "Search",
      arguments: [
        arg.in("ContainerID", "A_ARG_TYPE_ObjectID"),
        arg.in("SearchCriteria", "A_ARG_TYPE_SearchCriteria"),
        ...PAGE_IN,
        ...RESULT_OUT,
      ],
    },
    { name: "X_GetFeatureList", arguments: [arg.out("FeatureList", "A_ARG_TYPE_Featurelist")] },
    {
      name: "X_SetBookmark",
      arguments: [
        arg.in("CategoryType", "A_ARG_TYPE_CategoryType"),
        arg.in("RID", "A_ARG_TYPE_RID"),
        arg.in("ObjectID", "A_ARG_TYPE_ObjectID"),
        arg.in("PosSecond", "A_ARG_TYPE_PosSec"),
      ],
    },
  ],
  stateVariables: [
    { name: "A_ARG_TYPE_ObjectID", dataType: "string", sendEvents: false },
    { name: "A_ARG_TYPE_Result", dataType: "string", sendEvents: false },
    { name: "A_ARG_TYPE_SearchCriteria", dataType: "string", sendEvents: false },
    {
      name: "A_ARG_TYPE_BrowseFlag",
      dataType: "string",
      sendEvents: false,
      allowedValues: ["BrowseMetadata", "BrowseDirectChildren"],
    },
    { name: "A_ARG_TYPE_Filter", dataType: "string", sendEvents: false },
    { name: "A_ARG_TYPE_SortCriteria", dataType: "string", sendEvents: false },
    { name: "A_ARG_TYPE_Index", dataType: "ui4", sendEvents: false },
    { name: "A_ARG_TYPE_Count", dataType: "ui4", sendEvents: false },
    { name: "A_ARG_TYPE_UpdateID", dataType: "ui4", sendEvents: false },
    { name: "SearchCapabilities", dataType: "string", sendEvents: false },
    { name: "SortCapabilities", dataType: "string", sendEvents: false },
    { name: "SystemUpdateID", dataType: "ui4", sendEvents: true },
    { name: "ContainerUpdateIDs", dataType: "string", sendEvents: true },
    // Samsung's extensions (names and types as their TVs expect, and as MiniDLNA declares them).
    { name: "A_ARG_TYPE_Featurelist", dataType: "string", sendEvents: false },
    { name: "A_ARG_TYPE_CategoryType", dataType: "ui4", sendEvents: false },
    { name: "A_ARG_TYPE_RID", dataType: "ui4", sendEvents: false },
    { name: "A_ARG_TYPE_PosSec", dataType: "ui4", sendEvents: false },
  ],
};

/** The ContentDirectory SCPD served at /media/upnp/cds.xml. */
export const CONTENT_DIRECTORY_SCPD = scpdXml(CONTENT_DIRECTORY_SCPD_SPEC);
