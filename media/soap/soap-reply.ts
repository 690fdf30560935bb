import { xmlEscape } from "./xml-text.js";
import type { UpnpError } from "./upnp-error.js";

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="utf-8"?>\r\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>';
const ENVELOPE_CLOSE = "</s:Body></s:Envelope>\r\n";

/**
 * An out-argument value that is already escaped for the envelope: Browse's Result is built from
 * fragments escaped once when they were rendered, so the 35 KB document is not escaped again per
 * request.
 */
export class EscapedXml {
  constructor(readonly text: string) {}
}

/** Out-arguments in the order the SCPD lists them; values are escaped here (but EscapedXml). */
export type SoapOutArgs = ReadonlyArray<
  readonly [name: string, value: string | number | EscapedXml]
>;

/** The SOAP response to `action` of `serviceType` (HTTP 200, text/xml; charset="utf-8"). */
export function soapResponse(serviceType: string, action: string, out: SoapOutArgs): string {
  let args = "";
  for (const [name, value] of out) {
    args += `<${name}>${value instanceof EscapedXml ? value.text : xmlEscape(value)}</${name}>`;
  }
  return `${ENVELOPE_OPEN}<u:${action}Response xmlns:u="${xmlEscape(serviceType)}">${args}</u:${action}Response>${ENVELOPE_CLOSE}`;
}

/** The SOAP fault for a UPnP error (HTTP 500), as UDA 1.0 §3.2.2 spells it. */
export function soapFault(error: UpnpError): string {
  return (
    `${ENVELOPE_OPEN}<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring>` +
    `<detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>${error.code}</errorCode>` +
    `<errorDescription>${xmlEscape(error.description)}</errorDescription></UPnPError></detail>` +
    `</s:Fault>${ENVELOPE_CLOSE}`
  );
}

export const SOAP_CONTENT_TYPE = 'text/xml; charset="utf-8"';
