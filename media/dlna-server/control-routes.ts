import type { Logger } from "pino";
import type { RouteRegistrar } from "../../services/http/route-registrar.js";
import type { ClientRegistry } from "../clients/index.js";
import {
  requestContext,
  runSoapControl,
  SOAP_CONTENT_TYPE,
  type RequestContext,
  type SoapService,
} from "../soap/index.js";

/** One SOAP service and the path its control URL has (relative to /media). */
export interface ControlEndpoint {
  controlPath: string;
  service: SoapService;
}

/**
 * The SOAP control routes of the MediaServer: every request is attributed to its control point
 * (ClientRegistry), answered by its service, and logged at debug. Never throws to fastify: the
 * service's faults are SOAP faults, and runSoapControl catches a handler's own bugs.
 */
export function controlRoutes(
  http: RouteRegistrar,
  endpoints: readonly ControlEndpoint[],
  clients: ClientRegistry,
  log: Logger,
): void {
  for (const { controlPath, service } of endpoints) {
    http.route(
      "POST",
      controlPath,
      async (request, reply) => {
        const context = dlnaContext(request.raw, clients);
        const header = request.headers.soapaction;
        const soapAction = Array.isArray(header) ? header[0] : header;
        const outcome = await runSoapControl(service, request.body, soapAction, context, log);
        return reply
          .code(outcome.status)
          .header("ext", "")
          .type(SOAP_CONTENT_TYPE)
          .send(outcome.body);
      },
      { access: "open" },
    );
  }
}

/** The request's context with the quirks of the control point that sent it. */
export function dlnaContext(
  raw: Parameters<typeof requestContext>[0],
  clients: ClientRegistry,
): RequestContext {
  const context = requestContext(raw);
  context.quirks = clients.observe(context.remoteAddress, raw.headers).quirks;
  return context;
}
