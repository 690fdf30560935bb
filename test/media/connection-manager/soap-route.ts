import type { Logger } from "pino";
import type { RouteRegistrar } from "../../../services/http/route-registrar.js";
import {
  requestContext,
  runSoapControl,
  SOAP_CONTENT_TYPE,
  type SoapService,
} from "../../../media/soap/index.js";

/**
 * A POST control route the way the media service mounts one (open, body as text, SOAPACTION
 * header, runSoapControl's status and body), for tests that call a service over a real socket.
 */
export function soapRoute(
  http: RouteRegistrar,
  path: string,
  service: SoapService,
  log: Logger,
): void {
  http.route(
    "POST",
    path,
    async (request, reply) => {
      const header = request.headers.soapaction;
      const outcome = await runSoapControl(
        service,
        request.body,
        Array.isArray(header) ? header[0] : header,
        requestContext(request.raw),
        log,
      );
      return reply.code(outcome.status).type(SOAP_CONTENT_TYPE).send(outcome.body);
    },
    { access: "open" },
  );
}
