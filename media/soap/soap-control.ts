import type { Logger } from "pino";
import type { RequestContext } from "./request-context.js";
import { parseSoapRequest, type SoapArgs } from "./soap-request.js";
import { soapFault, soapResponse, type SoapOutArgs } from "./soap-reply.js";
import { UpnpError, upnpErrors } from "./upnp-error.js";

/** One action of a UPnP service: validated in-args in, out-args (in SCPD order) out. */
export type SoapAction = (
  args: SoapArgs,
  request: RequestContext,
) => SoapOutArgs | Promise<SoapOutArgs>;

/** A UPnP service as the control route sees it. */
export interface SoapService {
  /** "urn:schemas-upnp-org:service:ContentDirectory:1". */
  serviceType: string;
  actions: Readonly<Record<string, SoapAction>>;
}

/** What the control route sends back: 200 with a response, or 500 with a fault. */
export interface SoapOutcome {
  status: 200 | 500;
  body: string;
  /** For the debug log line. */
  action: string | undefined;
  errorCode?: number;
}

/**
 * Runs one control request against `service`. Never throws: malformed requests, unknown actions
 * and a handler's own failure all become the SOAP fault a control point understands, and a
 * handler's unexpected exception is logged (501 to the client, never a crash).
 */
export async function runSoapControl(
  service: SoapService,
  body: unknown,
  soapActionHeader: string | undefined,
  request: RequestContext,
  log: Logger,
): Promise<SoapOutcome> {
  let action: string | undefined;
  try {
    const call = parseSoapRequest(body, soapActionHeader);
    action = call.action;
    // Some clients send the service type with another version (":2"); the action name decides.
    const handler = Object.hasOwn(service.actions, call.action)
      ? service.actions[call.action]
      : undefined;
    if (handler === undefined)
      throw new UpnpError(upnpErrors.invalidAction, `unknown action ${call.action}`);
    const out = await handler(call.args, request);
    return { status: 200, body: soapResponse(service.serviceType, call.action, out), action };
  } catch (err) {
    const upnp =
      err instanceof UpnpError ? err : new UpnpError(upnpErrors.actionFailed, String(err));
    if (!(err instanceof UpnpError))
      log.error({ err, action, service: service.serviceType }, "a UPnP action failed");
    else
      log.debug(
        { code: upnp.code, detail: upnp.message, action, client: request.remoteAddress },
        "UPnP action refused",
      );
    return { status: 500, body: soapFault(upnp), action, errorCode: upnp.code };
  }
}
