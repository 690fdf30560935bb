import { XMLParser } from "fast-xml-parser";

const CDS = "urn:schemas-upnp-org:service:ContentDirectory:1";

/** One DIDL-Lite entry, only what the benchmark needs. */
export interface DidlEntry {
  kind: "container" | "item";
  id: string;
  title: string;
  childCount?: number;
  upnpClass: string;
  /** The first res: its URL and, when the server says, its size in bytes. */
  res?: { url: string; size?: number };
}

/** A Browse or Search answer. */
export interface CdsPage {
  status: number;
  numberReturned: number;
  totalMatches: number;
  entries: DidlEntry[];
}

const soapParser = new XMLParser({ removeNSPrefix: true, parseTagValue: false });
const didlParser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === "container" || name === "item" || name === "res",
});

/** The SOAP body of a ContentDirectory action; values are numbers or XML-safe by construction. */
export function soapEnvelope(
  action: string,
  args: ReadonlyArray<[string, string | number]>,
): string {
  const inner = args.map(([k, v]) => `<${k}>${xmlText(String(v))}</${k}>`).join("");
  return (
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" ` +
    `s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>` +
    `<u:${action} xmlns:u="${CDS}">${inner}</u:${action}></s:Body></s:Envelope>`
  );
}

/** The SOAP body of a page of BrowseDirectChildren. */
export function browseBody(objectId: string, start: number, count: number): string {
  return soapEnvelope("Browse", [
    ["ObjectID", objectId],
    ["BrowseFlag", "BrowseDirectChildren"],
    ["Filter", "*"],
    ["StartingIndex", start],
    ["RequestedCount", count],
    ["SortCriteria", ""],
  ]);
}

function xmlText(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** A ContentDirectory control point: Browse and Search over HTTP, answers parsed. */
export class CdsClient {
  readonly controlUrl: string;

  constructor(controlUrl: string) {
    this.controlUrl = controlUrl;
  }

  /** Finds the ContentDirectory control URL in a device description. */
  static async fromDescription(descriptionUrl: string): Promise<CdsClient> {
    const xml = await (await fetch(descriptionUrl)).text();
    const doc = soapParser.parse(xml) as { root?: { device?: unknown; URLBase?: string } };
    const services = findServices(doc.root?.device);
    const cds = services.find((s) => s.serviceType.startsWith(CDS.slice(0, -1)));
    if (cds === undefined) throw new Error(`no ContentDirectory in ${descriptionUrl}`);
    return new CdsClient(new URL(cds.controlURL, doc.root?.URLBase ?? descriptionUrl).href);
  }

  browse(objectId: string, start: number, count: number): Promise<CdsPage> {
    return this.#call("Browse", browseBody(objectId, start, count));
  }

  search(containerId: string, criteria: string, start: number, count: number): Promise<CdsPage> {
    const body = soapEnvelope("Search", [
      ["ContainerID", containerId],
      ["SearchCriteria", criteria],
      ["Filter", "*"],
      ["StartingIndex", start],
      ["RequestedCount", count],
      ["SortCriteria", ""],
    ]);
    return this.#call("Search", body);
  }

  /** Every child of a container, paged by `pageSize`. */
  async children(objectId: string, pageSize = 50): Promise<DidlEntry[]> {
    const all: DidlEntry[] = [];
    for (;;) {
      const page = await this.browse(objectId, all.length, pageSize);
      all.push(...page.entries);
      if (page.numberReturned === 0 || all.length >= page.totalMatches) return all;
    }
  }

  async #call(action: string, body: string): Promise<CdsPage> {
    const response = await fetch(this.controlUrl, {
      method: "POST",
      headers: {
        "content-type": 'text/xml; charset="utf-8"',
        soapaction: `"${CDS}#${action}"`,
      },
      body,
    });
    return parseCdsAnswer(response.status, await response.text(), action);
  }
}

/** Reads NumberReturned, TotalMatches and the DIDL-Lite entries of a Browse/Search answer. */
export function parseCdsAnswer(status: number, xml: string, action: string): CdsPage {
  const envelope = soapParser.parse(xml) as { Envelope?: { Body?: Record<string, unknown> } };
  const answer = envelope.Envelope?.Body?.[`${action}Response`] as
    { Result?: string; NumberReturned?: string; TotalMatches?: string } | undefined;
  if (status !== 200 || answer === undefined) {
    return { status, numberReturned: 0, totalMatches: 0, entries: [] };
  }
  return {
    status,
    numberReturned: Number(answer.NumberReturned ?? 0),
    totalMatches: Number(answer.TotalMatches ?? 0),
    entries: parseDidl(answer.Result ?? ""),
  };
}

type RawEntry = Record<string, unknown> & {
  "@id"?: string;
  "@childCount"?: string;
  title?: unknown;
  class?: unknown;
  res?: Array<string | { "#text"?: string; "@size"?: string }>;
};

function parseDidl(didl: string): DidlEntry[] {
  if (didl === "") return [];
  const doc = didlParser.parse(didl) as { "DIDL-Lite"?: Record<string, RawEntry[] | undefined> };
  const root = doc["DIDL-Lite"] ?? {};
  const containers = (root.container ?? []).map((e) => entry("container", e));
  return [...containers, ...(root.item ?? []).map((e) => entry("item", e))];
}

function entry(kind: DidlEntry["kind"], raw: RawEntry): DidlEntry {
  const out: DidlEntry = {
    kind,
    id: String(raw["@id"] ?? ""),
    title: text(raw.title),
    upnpClass: text(raw.class),
  };
  if (raw["@childCount"] !== undefined) out.childCount = Number(raw["@childCount"]);
  const res = raw.res?.[0];
  if (typeof res === "string") out.res = { url: res.trim() };
  else if (res !== undefined) {
    out.res = { url: String(res["#text"] ?? "").trim() };
    if (res["@size"] !== undefined) out.res.size = Number(res["@size"]);
  }
  return out;
}

function text(v: unknown): string {
  if (typeof v === "string" || typeof v === "number") return String(v);
  if (v !== null && typeof v === "object" && "#text" in v) return String(v["#text"]);
  return "";
}

interface ServiceEntry {
  serviceType: string;
  controlURL: string;
}

/** Services of a device and its embedded devices. */
function findServices(device: unknown): ServiceEntry[] {
  if (device === null || typeof device !== "object") return [];
  const d = device as {
    serviceList?: { service?: ServiceEntry | ServiceEntry[] };
    deviceList?: { device?: unknown };
  };
  const own = [d.serviceList?.service ?? []].flat();
  const nested = [d.deviceList?.device ?? []].flat().flatMap(findServices);
  return [...own, ...nested];
}
