import { xmlEscape } from "../soap/index.js";
import { UPNP_ICONS } from "./upnp-icons.js";
import { MEDIA_SERVER_DEVICE_TYPE, UPNP_SERVICES } from "./upnp-services.js";

/** What varies between boxes and requests in the device description. */
export interface DeviceDescriptionOptions {
  /** Shown in every client's server list ("hearth on nas"). */
  friendlyName: string;
  /** "uuid:…", persisted: clients cache servers by UDN. */
  udn: string;
  serialNumber: string;
  /** hearth's version. */
  modelNumber: string;
  /** The dashboard, for clients that offer "open the server's page". */
  presentationUrl: string;
  /**
   * The request's RequestContext.baseUrl ("http://10.0.0.5:8200/media"). Only its path is used:
   * every URL in the description is host-relative, so it stays right for whichever address
   * the client fetched it from.
   */
  baseUrl: string;
  /** manufacturerURL and modelURL; the presentation URL when hearth has no public home page. */
  projectUrl?: string;
}

const MODEL_DESCRIPTION = "hearth home server: music, videos and photos over DLNA";

/**
 * The UPnP Device Architecture 1.0 device description of the MediaServer (§2.1). No URLBase:
 * UDA 1.1 deprecates it, and relative URLs resolve against the address the client used, which
 * is the one it can reach (MiniDLNA's fixed interface address is not, behind some setups).
 * Every value goes through xmlEscape exactly once.
 */
export function deviceDescription(options: DeviceDescriptionOptions): string {
  const prefix = pathPrefix(options.baseUrl);
  const projectUrl = options.projectUrl ?? options.presentationUrl;
  const e = xmlEscape;
  return (
    '<?xml version="1.0" encoding="utf-8"?>\r\n' +
    '<root xmlns="urn:schemas-upnp-org:device-1-0">' +
    "<specVersion><major>1</major><minor>0</minor></specVersion>" +
    "<device>" +
    `<deviceType>${e(MEDIA_SERVER_DEVICE_TYPE)}</deviceType>` +
    `<friendlyName>${e(options.friendlyName)}</friendlyName>` +
    "<manufacturer>hearth</manufacturer>" +
    `<manufacturerURL>${e(projectUrl)}</manufacturerURL>` +
    `<modelDescription>${e(MODEL_DESCRIPTION)}</modelDescription>` +
    "<modelName>hearth</modelName>" +
    `<modelNumber>${e(options.modelNumber)}</modelNumber>` +
    `<modelURL>${e(projectUrl)}</modelURL>` +
    `<serialNumber>${e(options.serialNumber)}</serialNumber>` +
    `<UDN>${e(options.udn)}</UDN>` +
    '<dlna:X_DLNADOC xmlns:dlna="urn:schemas-dlna-org:device-1-0">DMS-1.50</dlna:X_DLNADOC>' +
    iconList(prefix) +
    serviceList(prefix) +
    `<presentationURL>${e(options.presentationUrl)}</presentationURL>` +
    "</device>" +
    "</root>\r\n"
  );
}

function iconList(prefix: string): string {
  let xml = "<iconList>";
  for (const icon of UPNP_ICONS) {
    xml +=
      `<icon><mimetype>${xmlEscape(icon.mime)}</mimetype>` +
      `<width>${icon.width}</width><height>${icon.height}</height><depth>${icon.depth}</depth>` +
      `<url>${xmlEscape(prefix + icon.path)}</url></icon>`;
  }
  return `${xml}</iconList>`;
}

function serviceList(prefix: string): string {
  let xml = "<serviceList>";
  for (const service of UPNP_SERVICES) {
    xml +=
      `<service><serviceType>${xmlEscape(service.serviceType)}</serviceType>` +
      `<serviceId>${xmlEscape(service.serviceId)}</serviceId>` +
      `<SCPDURL>${xmlEscape(prefix + service.scpdPath)}</SCPDURL>` +
      `<controlURL>${xmlEscape(prefix + service.controlPath)}</controlURL>` +
      `<eventSubURL>${xmlEscape(prefix + service.eventPath)}</eventSubURL></service>`;
  }
  return `${xml}</serviceList>`;
}

/** "http://10.0.0.5:8200/media" → "/media"; a bare path is taken as is; no trailing slash. */
function pathPrefix(baseUrl: string): string {
  let path: string;
  try {
    path = new URL(baseUrl).pathname;
  } catch {
    // Not an absolute URL: the caller passed the prefix itself ("/media"), which is as good.
    path = baseUrl;
  }
  return path.replace(/\/+$/, "");
}
