import { readFile } from "node:fs/promises";
import type { RouteRegistrar } from "../../services/http/route-registrar.js";
import { requestContext, SOAP_CONTENT_TYPE } from "../soap/index.js";
import { CONNECTION_MANAGER_SCPD } from "./connection-manager-scpd.js";
import { CONTENT_DIRECTORY_SCPD } from "./content-directory-scpd.js";
import { deviceDescription, type DeviceDescriptionOptions } from "./device-description.js";
import { REGISTRAR_SCPD } from "./registrar-scpd.js";
import { iconFile, UPNP_ICONS } from "./upnp-icons.js";
import {
  CONNECTION_MANAGER,
  CONTENT_DIRECTORY,
  DEVICE_DESCRIPTION_PATH,
  MEDIA_RECEIVER_REGISTRAR,
} from "./upnp-services.js";

/** The SCPD document of each service, by its scpdPath. */
export const UPNP_SCPDS: ReadonlyMap<string, string> = new Map([
  [CONTENT_DIRECTORY.scpdPath, CONTENT_DIRECTORY_SCPD],
  [CONNECTION_MANAGER.scpdPath, CONNECTION_MANAGER_SCPD],
  [MEDIA_RECEIVER_REGISTRAR.scpdPath, REGISTRAR_SCPD],
]);

/** The description's fixed facts; the URLs come from each request. */
export type DescriptionRouteOptions = Omit<
  DeviceDescriptionOptions,
  "baseUrl" | "presentationUrl"
> & {
  /** From the request's baseUrl; default: the dashboard at the root of the same origin. */
  presentationUrl?: (baseUrl: string) => string;
};

/**
 * Registers the open GET routes a control point reads before anything else: the device
 * description, its icons and the three SCPDs (HEAD falls back to these). The description is
 * written per request from the address the request came in on; the rest is fixed. Icons are read
 * once here; a missing icon file (a build without assets) is left out of the routes, so it
 * answers 404 instead of failing every start.
 */
export async function descriptionRoutes(
  http: RouteRegistrar,
  options: DescriptionRouteOptions,
): Promise<void> {
  const { presentationUrl = defaultPresentationUrl, ...fixed } = options;
  http.route(
    "GET",
    DEVICE_DESCRIPTION_PATH,
    (request, reply) => {
      const baseUrl = requestContext(request.raw).baseUrl;
      const xml = deviceDescription({
        ...fixed,
        baseUrl,
        presentationUrl: presentationUrl(baseUrl),
      });
      return reply.type(SOAP_CONTENT_TYPE).send(xml);
    },
    { access: "open" },
  );
  for (const [path, xml] of UPNP_SCPDS) {
    http.route("GET", path, (_request, reply) => reply.type(SOAP_CONTENT_TYPE).send(xml), {
      access: "open",
    });
  }
  for (const icon of UPNP_ICONS) {
    const file = iconFile(icon.name);
    if (file === undefined) continue;
    const bytes = await readFile(file);
    http.route("GET", icon.path, (_request, reply) => reply.type(icon.mime).send(bytes), {
      access: "open",
    });
  }
}

function defaultPresentationUrl(baseUrl: string): string {
  return new URL("/", baseUrl).href;
}
