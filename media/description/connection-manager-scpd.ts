import { arg, scpdXml, type ScpdSpec } from "./scpd-xml.js";

/**
 * ConnectionManager:1 (UPnP AV, 2002), the three required actions. PrepareForConnection and
 * ConnectionComplete are optional and meaningless for an HTTP-GET-only server, which has the one
 * connection 0 (CMS:1 §2.4.2). Names, order and types as the service template's tables give them.
 */
export const CONNECTION_MANAGER_SCPD_SPEC: ScpdSpec = {
  actions: [
    {
      name: "GetProtocolInfo",
      arguments: [arg.out("Source", "SourceProtocolInfo"), arg.out("Sink", "SinkProtocolInfo")],
    },
    {
      name: "GetCurrentConnectionIDs",
      arguments: [arg.out("ConnectionIDs", "CurrentConnectionIDs")],
    },
    {
      name: "GetCurrentConnectionInfo",
      arguments: [
        arg.in("ConnectionID", "A_ARG_TYPE_ConnectionID"),
        arg.out("RcsID", "A_ARG_TYPE_RcsID"),
        arg.out("AVTransportID", "A_ARG_TYPE_AVTransportID"),
        arg.out("ProtocolInfo", "A_ARG_TYPE_ProtocolInfo"),
        arg.out("PeerConnectionManager", "A_ARG_TYPE_ConnectionManager"),
        arg.out("PeerConnectionID", "A_ARG_TYPE_ConnectionID"),
        arg.out("Direction", "A_ARG_TYPE_Direction"),
        arg.out("Status", "A_ARG_TYPE_ConnectionStatus"),
      ],
    },
  ],
  stateVariables: [
    { name: "SourceProtocolInfo", dataType: "string", sendEvents: true },
    { name: "SinkProtocolInfo", dataType: "string", sendEvents: true },
    { name: "CurrentConnectionIDs", dataType: "string", sendEvents: true },
    {
      name: "A_ARG_TYPE_ConnectionStatus",
      dataType: "string",
      sendEvents: false,
      allowedValues: [
        "OK",
        "ContentFormatMismatch",
        "InsufficientBandwidth",
        "UnreliableChannel",
        "Unknown",
      ],
    },
    { name: "A_ARG_TYPE_ConnectionManager", dataType: "string", sendEvents: false },
    {
      name: "A_ARG_TYPE_Direction",
      dataType: "string",
      sendEvents: false,
      allowedValues: ["Input", "Output"],
    },
    { name: "A_ARG_TYPE_ProtocolInfo", dataType: "string", sendEvents: false },
    { name: "A_ARG_TYPE_ConnectionID", dataType: "i4", sendEvents: false },
    { name: "A_ARG_TYPE_AVTransportID", dataType: "i4", sendEvents: false },
    { name: "A_ARG_TYPE_RcsID", dataType: "i4", sendEvents: false },
  ],
};

/** The ConnectionManager SCPD served at /media/upnp/cms.xml. */
export const CONNECTION_MANAGER_SCPD = scpdXml(CONNECTION_MANAGER_SCPD_SPEC);
