import { XMLParser } from "fast-xml-parser";
import { UpnpError, upnpErrors } from "./upnp-error.js";

/** A SOAP body larger than this is refused unread: real control requests are a few KiB. */
export const MAX_SOAP_BYTES = 64 * 1024;

/** One parsed control request. */
export interface SoapRequest {
  /** From the SOAPACTION header when given ("urn:…:ContentDirectory:1"), else from the body. */
  serviceType: string | undefined;
  action: string;
  args: SoapArgs;
}

const parserOptions = {
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
};
/**
 * For bodies with numeric character references (&#233;); named HTML entities come along. It
 * tries some 250 entity patterns on every text node: 120–140 µs for a Browse request, most of a
 * Browse's parsing (measured), so it is used only for bodies that need it.
 */
const entityParser = new XMLParser({ ...parserOptions, htmlEntities: true });
/** For every other body: the five XML entities are all it can contain. */
const plainParser = new XMLParser({ ...parserOptions, htmlEntities: false });
/** An "&" that does not start one of XML's five entities. */
const OTHER_ENTITY = /&(?!(?:lt|gt|amp|apos|quot);)/;

/**
 * Parses a SOAP 1.1 control request. Refuses what no UPnP control point sends: a DOCTYPE (SOAP
 * forbids it, and it is how entity-expansion attacks start), a body over MAX_SOAP_BYTES, XML that
 * is not an Envelope/Body/action. Throws UpnpError 401 (no action) or 402 (unreadable).
 */
export function parseSoapRequest(body: unknown, soapActionHeader: string | undefined): SoapRequest {
  const text = typeof body === "string" ? body : Buffer.isBuffer(body) ? body.toString("utf8") : "";
  if (text.length === 0) throw new UpnpError(upnpErrors.invalidArgs, "empty SOAP body");
  if (Buffer.byteLength(text) > MAX_SOAP_BYTES)
    throw new UpnpError(upnpErrors.invalidArgs, "SOAP body too large");
  if (/<!DOCTYPE|<!ENTITY/i.test(text))
    throw new UpnpError(upnpErrors.invalidArgs, "SOAP body with a DOCTYPE");
  let parsed: unknown;
  try {
    parsed = (OTHER_ENTITY.test(text) ? entityParser : plainParser).parse(text, true);
  } catch (err) {
    throw new UpnpError(upnpErrors.invalidArgs, `malformed SOAP body: ${(err as Error).message}`);
  }
  const bodyElement = field(field(parsed, "Envelope"), "Body");
  if (bodyElement === "") throw new UpnpError(upnpErrors.invalidAction, "empty SOAP Body");
  if (bodyElement === undefined || typeof bodyElement !== "object" || bodyElement === null)
    throw new UpnpError(upnpErrors.invalidArgs, "no SOAP Envelope/Body");
  // Indented requests (Net::UPnP, many TVs) leave whitespace text next to the action element.
  const names = Object.keys(bodyElement).filter((name) => name !== "#text");
  const action = names[0];
  if (names.length !== 1 || action === undefined)
    throw new UpnpError(upnpErrors.invalidAction, "SOAP Body without exactly one action");
  const header = parseSoapActionHeader(soapActionHeader);
  if (header !== undefined && header.action !== action)
    throw new UpnpError(upnpErrors.invalidAction, "SOAPACTION header and body disagree");
  const raw = (bodyElement as Record<string, unknown>)[action];
  return { serviceType: header?.serviceType, action, args: new SoapArgs(raw) };
}

/** `"urn:schemas-upnp-org:service:ContentDirectory:1#Browse"` (quotes optional). */
export function parseSoapActionHeader(
  value: string | undefined,
): { serviceType: string; action: string } | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*"?([^"#]+)#([^"]+)"?\s*$/.exec(value);
  if (match === null) return undefined;
  return { serviceType: match[1] as string, action: match[2] as string };
}

function field(value: unknown, name: string): unknown {
  return typeof value === "object" && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/** An action's in-arguments with typed, validated access; a bad value is a 402 for the client. */
export class SoapArgs {
  readonly #values: Map<string, string>;

  constructor(raw: unknown) {
    this.#values = new Map();
    if (typeof raw !== "object" || raw === null) return;
    for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
      // A repeated or nested argument is not something any action takes: leave it out.
      if (typeof value === "string" && name !== "#text") this.#values.set(name, value);
    }
  }

  has(name: string): boolean {
    return this.#values.has(name);
  }

  /** The argument's text; `fallback` when absent; 402 when absent without a fallback. */
  string(name: string, fallback?: string): string {
    const value = this.#values.get(name) ?? fallback;
    if (value === undefined) throw new UpnpError(upnpErrors.invalidArgs, `missing ${name}`);
    return value;
  }

  /** A ui4 argument (0 … 4294967295); 402 when it is not one. */
  uint(name: string, fallback?: number): number {
    const text = this.#values.get(name)?.trim();
    if ((text === undefined || text === "") && fallback !== undefined) return fallback;
    if (text === undefined || !/^\d{1,10}$/.test(text) || Number(text) > 0xffffffff)
      throw new UpnpError(upnpErrors.invalidArgs, `${name} is not an unsigned integer`);
    return Number(text);
  }

  /** An i4 argument; 402 when it is not one. */
  int(name: string, fallback?: number): number {
    const text = this.#values.get(name)?.trim();
    if ((text === undefined || text === "") && fallback !== undefined) return fallback;
    if (text === undefined || !/^[-+]?\d{1,10}$/.test(text))
      throw new UpnpError(upnpErrors.invalidArgs, `${name} is not an integer`);
    const value = Number(text);
    if (value < -0x80000000 || value > 0x7fffffff)
      throw new UpnpError(upnpErrors.invalidArgs, `${name} is out of range`);
    return value;
  }
}
