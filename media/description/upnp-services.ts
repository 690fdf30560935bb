/**
 * The names and paths of hearth's UPnP MediaServer, in one place so the description, SSDP,
 * eventing and the control routes never retype a URN. Paths are relative to the media service's
 * open prefix (MEDIA_PATH_PREFIX, "/media"): register routes with them as they are, and put
 * `<prefix><path>` into documents.
 */

/** The root device's type (UPnP AV MediaServer:1, the one every DLNA client looks for). */
export const MEDIA_SERVER_DEVICE_TYPE = "urn:schemas-upnp-org:device:MediaServer:1";

/** Where the device description is served. */
export const DEVICE_DESCRIPTION_PATH = "/upnp/device.xml";

/** The short key of each service, used in its paths ("/upnp/control/cds"). */
export type UpnpServiceKey = "cds" | "cms" | "msr";

/** One service of the MediaServer as the description lists it. */
export interface UpnpServiceEntry {
  key: UpnpServiceKey;
  serviceType: string;
  serviceId: string;
  /** GET: the SCPD. */
  scpdPath: string;
  /** POST: SOAP control. */
  controlPath: string;
  /** SUBSCRIBE/UNSUBSCRIBE: GENA. */
  eventPath: string;
  /** State variables with sendEvents="yes", in SCPD order: what an initial NOTIFY carries. */
  eventedVariables: readonly string[];
}

function entry(
  key: UpnpServiceKey,
  serviceType: string,
  serviceId: string,
  eventedVariables: readonly string[],
): UpnpServiceEntry {
  return {
    key,
    serviceType,
    serviceId,
    scpdPath: `/upnp/${key}.xml`,
    controlPath: `/upnp/control/${key}`,
    eventPath: `/upnp/event/${key}`,
    eventedVariables,
  };
}

/** ContentDirectory:1 (browsing and searching the library). */
export const CONTENT_DIRECTORY = entry(
  "cds",
  "urn:schemas-upnp-org:service:ContentDirectory:1",
  "urn:upnp-org:serviceId:ContentDirectory",
  ["SystemUpdateID", "ContainerUpdateIDs"],
);

/** ConnectionManager:1 (what hearth can serve; required of every MediaServer). */
export const CONNECTION_MANAGER = entry(
  "cms",
  "urn:schemas-upnp-org:service:ConnectionManager:1",
  "urn:upnp-org:serviceId:ConnectionManager",
  ["SourceProtocolInfo", "SinkProtocolInfo", "CurrentConnectionIDs"],
);

/** Microsoft's registrar: Xbox 360 and Windows Media Player refuse a server without it. */
export const MEDIA_RECEIVER_REGISTRAR = entry(
  "msr",
  "urn:microsoft.com:service:X_MS_MediaReceiverRegistrar:1",
  "urn:microsoft.com:serviceId:X_MS_MediaReceiverRegistrar",
  [
    "AuthorizationGrantedUpdateID",
    "AuthorizationDeniedUpdateID",
    "ValidationSucceededUpdateID",
    "ValidationRevokedUpdateID",
  ],
);

/** Every service, in the order the description lists them. */
export const UPNP_SERVICES: readonly UpnpServiceEntry[] = [
  CONTENT_DIRECTORY,
  CONNECTION_MANAGER,
  MEDIA_RECEIVER_REGISTRAR,
];
