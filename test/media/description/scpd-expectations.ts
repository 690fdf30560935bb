import { XMLParser } from "fast-xml-parser";

/**
 * The three services as their templates define them, written out by hand from ContentDirectory:1
 * (tables 2.1/2.2), ConnectionManager:1 (tables 2.1/2.2), Samsung's extensions as their TVs call
 * them, and the X_MS_MediaReceiverRegistrar SCPD Windows publishes. Actions read
 * "Name(dir Arg: RelatedStateVariable, …)"; state variables "Name type [evented] [allowed|values]".
 * Shared by the SCPD tests (our XML) and the GUPnP test (what a real control point parsed).
 */
export const EXPECTED_SCPDS: Record<
  "cds" | "cms" | "msr",
  { actions: string[]; stateVariables: string[] }
> = {
  cds: {
    actions: [
      "GetSearchCapabilities(out SearchCaps: SearchCapabilities)",
      "GetSortCapabilities(out SortCaps: SortCapabilities)",
      "GetSystemUpdateID(out Id: SystemUpdateID)",
      "Browse(in ObjectID: A_ARG_TYPE_ObjectID, in BrowseFlag: A_ARG_TYPE_BrowseFlag, " +
        "in Filter: A_ARG_TYPE_Filter, in StartingIndex: A_ARG_TYPE_Index, " +
        "in RequestedCount: A_ARG_TYPE_Count, in SortCriteria: A_ARG_TYPE_SortCriteria, " +
        "out Result: A_ARG_TYPE_Result, out NumberReturned: A_ARG_TYPE_Count, " +
        "out TotalMatches: A_ARG_TYPE_Count, out UpdateID: A_ARG_TYPE_UpdateID)",
      "Search(in ContainerID: A_ARG_TYPE_ObjectID, in SearchCriteria: A_ARG_TYPE_SearchCriteria, " +
        "in Filter: A_ARG_TYPE_Filter, in StartingIndex: A_ARG_TYPE_Index, " +
        "in RequestedCount: A_ARG_TYPE_Count, in SortCriteria: A_ARG_TYPE_SortCriteria, " +
        "out Result: A_ARG_TYPE_Result, out NumberReturned: A_ARG_TYPE_Count, " +
        "out TotalMatches: A_ARG_TYPE_Count, out UpdateID: A_ARG_TYPE_UpdateID)",
      "X_GetFeatureList(out FeatureList: A_ARG_TYPE_Featurelist)",
      "X_SetBookmark(in CategoryType: A_ARG_TYPE_CategoryType, in RID: A_ARG_TYPE_RID, " +
        "in ObjectID: A_ARG_TYPE_ObjectID, in PosSecond: A_ARG_TYPE_PosSec)",
    ],
    stateVariables: [
      "A_ARG_TYPE_ObjectID string",
      "A_ARG_TYPE_Result string",
      "A_ARG_TYPE_SearchCriteria string",
      "A_ARG_TYPE_BrowseFlag string [BrowseMetadata|BrowseDirectChildren]",
      "A_ARG_TYPE_Filter string",
      "A_ARG_TYPE_SortCriteria string",
      "A_ARG_TYPE_Index ui4",
      "A_ARG_TYPE_Count ui4",
      "A_ARG_TYPE_UpdateID ui4",
      "SearchCapabilities string",
      "SortCapabilities string",
      "SystemUpdateID ui4 evented",
      "ContainerUpdateIDs string evented",
      "A_ARG_TYPE_Featurelist string",
      "A_ARG_TYPE_CategoryType ui4",
      "A_ARG_TYPE_RID ui4",
      "A_ARG_TYPE_PosSec ui4",
    ],
  },
  cms: {
    actions: [
      "GetProtocolInfo(out Source: SourceProtocolInfo, out Sink: SinkProtocolInfo)",
      "GetCurrentConnectionIDs(out ConnectionIDs: CurrentConnectionIDs)",
      "GetCurrentConnectionInfo(in ConnectionID: A_ARG_TYPE_ConnectionID, " +
        "out RcsID: A_ARG_TYPE_RcsID, out AVTransportID: A_ARG_TYPE_AVTransportID, " +
        "out ProtocolInfo: A_ARG_TYPE_ProtocolInfo, " +
        "out PeerConnectionManager: A_ARG_TYPE_ConnectionManager, " +
        "out PeerConnectionID: A_ARG_TYPE_ConnectionID, out Direction: A_ARG_TYPE_Direction, " +
        "out Status: A_ARG_TYPE_ConnectionStatus)",
    ],
    stateVariables: [
      "SourceProtocolInfo string evented",
      "SinkProtocolInfo string evented",
      "CurrentConnectionIDs string evented",
      "A_ARG_TYPE_ConnectionStatus string " +
        "[OK|ContentFormatMismatch|InsufficientBandwidth|UnreliableChannel|Unknown]",
      "A_ARG_TYPE_ConnectionManager string",
      "A_ARG_TYPE_Direction string [Input|Output]",
      "A_ARG_TYPE_ProtocolInfo string",
      "A_ARG_TYPE_ConnectionID i4",
      "A_ARG_TYPE_AVTransportID i4",
      "A_ARG_TYPE_RcsID i4",
    ],
  },
  msr: {
    actions: [
      "IsAuthorized(in DeviceID: A_ARG_TYPE_DeviceID, out Result: A_ARG_TYPE_Result)",
      "RegisterDevice(in RegistrationReqMsg: A_ARG_TYPE_RegistrationReqMsg, " +
        "out RegistrationRespMsg: A_ARG_TYPE_RegistrationRespMsg)",
      "IsValidated(in DeviceID: A_ARG_TYPE_DeviceID, out Result: A_ARG_TYPE_Result)",
    ],
    stateVariables: [
      "A_ARG_TYPE_DeviceID string",
      "A_ARG_TYPE_Result int",
      "A_ARG_TYPE_RegistrationReqMsg bin.base64",
      "A_ARG_TYPE_RegistrationRespMsg bin.base64",
      "AuthorizationGrantedUpdateID ui4 evented",
      "AuthorizationDeniedUpdateID ui4 evented",
      "ValidationSucceededUpdateID ui4 evented",
      "ValidationRevokedUpdateID ui4 evented",
    ],
  },
};

/** An action in the compact form above. */
export function actionLine(
  name: string,
  args: ReadonlyArray<{ name: string; direction: string; relatedStateVariable: string }>,
): string {
  return `${name}(${args.map((a) => `${a.direction} ${a.name}: ${a.relatedStateVariable}`).join(", ")})`;
}

/** A state variable in the compact form above. */
export function variableLine(
  name: string,
  type: string,
  isEvented: boolean,
  allowed: readonly string[],
): string {
  return [
    name,
    type,
    ...(isEvented ? ["evented"] : []),
    ...(allowed.length > 0 ? [`[${allowed.join("|")}]`] : []),
  ].join(" ");
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  isArray: (name) => ["action", "argument", "stateVariable", "allowedValue"].includes(name),
});

interface ParsedScpd {
  scpd: {
    "@xmlns": string;
    specVersion: { major: string; minor: string };
    actionList: {
      action: Array<{
        name: string;
        argumentList?: {
          argument: Array<{ name: string; direction: string; relatedStateVariable: string }>;
        };
      }>;
    };
    serviceStateTable: {
      stateVariable: Array<{
        "@sendEvents": string;
        name: string;
        dataType: string;
        allowedValueList?: { allowedValue: string[] };
      }>;
    };
  };
}

/** An SCPD document read back with fast-xml-parser, in the compact form. */
export function scpdSummary(xml: string): {
  namespace: string;
  specVersion: string;
  actions: string[];
  stateVariables: string[];
} {
  const { scpd } = parser.parse(xml) as ParsedScpd;
  return {
    namespace: scpd["@xmlns"],
    specVersion: `${scpd.specVersion.major}.${scpd.specVersion.minor}`,
    actions: scpd.actionList.action.map((a) => actionLine(a.name, a.argumentList?.argument ?? [])),
    stateVariables: scpd.serviceStateTable.stateVariable.map((v) =>
      variableLine(
        v.name,
        v.dataType,
        v["@sendEvents"] === "yes",
        v.allowedValueList?.allowedValue ?? [],
      ),
    ),
  };
}
