// The MediaServer's device description, SCPDs, icons and the URNs/paths every UPnP part shares.
export {
  MEDIA_SERVER_DEVICE_TYPE,
  DEVICE_DESCRIPTION_PATH,
  CONTENT_DIRECTORY,
  CONNECTION_MANAGER,
  MEDIA_RECEIVER_REGISTRAR,
  UPNP_SERVICES,
  type UpnpServiceEntry,
  type UpnpServiceKey,
} from "./upnp-services.js";
export { deviceDescription, type DeviceDescriptionOptions } from "./device-description.js";
export { UPNP_ICONS, iconFile, type UpnpIcon } from "./upnp-icons.js";
export {
  scpdXml,
  type ScpdSpec,
  type ScpdAction,
  type ScpdArgument,
  type ScpdStateVariable,
  type ScpdDataType,
} from "./scpd-xml.js";
export { CONTENT_DIRECTORY_SCPD, CONTENT_DIRECTORY_SCPD_SPEC } from "./content-directory-scpd.js";
export {
  CONNECTION_MANAGER_SCPD,
  CONNECTION_MANAGER_SCPD_SPEC,
} from "./connection-manager-scpd.js";
export { REGISTRAR_SCPD, REGISTRAR_SCPD_SPEC } from "./registrar-scpd.js";
export {
  descriptionRoutes,
  UPNP_SCPDS,
  type DescriptionRouteOptions,
} from "./description-routes.js";
