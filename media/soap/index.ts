// SOAP for the UPnP services: parse control requests, answer them, fault them.
export { UpnpError, upnpErrors } from "./upnp-error.js";
export { SoapArgs, parseSoapRequest, MAX_SOAP_BYTES } from "./soap-request.js";
export {
  EscapedXml,
  soapResponse,
  soapFault,
  SOAP_CONTENT_TYPE,
  type SoapOutArgs,
} from "./soap-reply.js";
export {
  runSoapControl,
  type SoapAction,
  type SoapService,
  type SoapOutcome,
} from "./soap-control.js";
export { xmlEscape } from "./xml-text.js";
export {
  requestContext,
  plainAddress,
  MEDIA_PATH_PREFIX,
  type RequestContext,
} from "./request-context.js";
