import { UpnpError, upnpErrors, type SoapService } from "../soap/index.js";
import { CONNECTION_MANAGER } from "../description/upnp-services.js";

/** What ConnectionManager reports; the caller passes `sourceProtocols()` in production. */
export interface ConnectionManagerOptions {
  /** protocolInfo entries, joined with "," for GetProtocolInfo's Source. */
  sourceProtocols: readonly string[];
}

/**
 * ConnectionManager:1 for an HTTP-GET-only MediaServer. Without PrepareForConnection there is
 * exactly one connection, 0, always "OK" and "Output" (CMS:1 §2.4.2, §2.4.4); hearth receives
 * nothing, so Sink is empty. The state is fixed, so its evented variables never change after the
 * initial event.
 */
export function connectionManager(options: ConnectionManagerOptions): SoapService {
  // protocolInfo values never contain commas (mime types and PN names do not), so no escaping.
  const source = options.sourceProtocols.join(",");
  return {
    serviceType: CONNECTION_MANAGER.serviceType,
    actions: {
      GetProtocolInfo: () => [
        ["Source", source],
        ["Sink", ""],
      ],
      GetCurrentConnectionIDs: () => [["ConnectionIDs", "0"]],
      GetCurrentConnectionInfo: (args) => {
        const id = args.int("ConnectionID");
        if (id !== 0)
          throw new UpnpError(upnpErrors.invalidConnectionReference, `connection ${id}`);
        return [
          ["RcsID", -1],
          ["AVTransportID", -1],
          ["ProtocolInfo", ""],
          ["PeerConnectionManager", ""],
          ["PeerConnectionID", -1],
          ["Direction", "Output"],
          ["Status", "OK"],
        ];
      },
    },
  };
}

/** Initial event values of ConnectionManager's evented variables, for GENA. */
export function connectionManagerState(
  options: ConnectionManagerOptions,
): ReadonlyArray<readonly [name: string, value: string]> {
  return [
    ["SourceProtocolInfo", options.sourceProtocols.join(",")],
    ["SinkProtocolInfo", ""],
    ["CurrentConnectionIDs", "0"],
  ];
}
