import type { SoapService } from "../soap/index.js";
import { MEDIA_RECEIVER_REGISTRAR } from "../description/upnp-services.js";

/**
 * X_MS_MediaReceiverRegistrar:1. hearth authorizes every device on the LAN, as MiniDLNA does:
 * the media routes are open to the LAN anyway, and the real Windows registration handshake
 * (certificates in RegistrationReqMsg) protects nothing a DLNA server can enforce. So
 * IsAuthorized and IsValidated answer 1 for any DeviceID, and RegisterDevice accepts any message
 * with an empty response. The arguments must still be present (402 otherwise), so a malformed
 * request is not mistaken for a registration.
 */
export function mediaReceiverRegistrar(): SoapService {
  return {
    serviceType: MEDIA_RECEIVER_REGISTRAR.serviceType,
    actions: {
      IsAuthorized: (args) => {
        args.string("DeviceID");
        return [["Result", 1]];
      },
      RegisterDevice: (args) => {
        args.string("RegistrationReqMsg");
        return [["RegistrationRespMsg", ""]];
      },
      IsValidated: (args) => {
        args.string("DeviceID");
        return [["Result", 1]];
      },
    },
  };
}

/** Initial event values of the registrar's evented variables (they never change), for GENA. */
export const MEDIA_RECEIVER_REGISTRAR_STATE: ReadonlyArray<readonly [name: string, value: string]> =
  MEDIA_RECEIVER_REGISTRAR.eventedVariables.map((name) => [name, "0"] as const);
