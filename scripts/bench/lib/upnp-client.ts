import { Agent, request } from "node:http";
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

/** A Browse or Search answer read cheaply (no XML parser): counts and the container ids. */
export interface CdsCounts {
  status: number;
  numberReturned: number;
  totalMatches: number;
  containerIds: string[];
  /** From sending the request to the whole answer received (parsing not included). */
  ms: number;
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
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 1 });

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

  /** Closes the kept-alive connection. */
  close(): void {
    this.#agent.destroy();
  }

  /** A page of children with every entry parsed. */
  async browse(objectId: string, start: number, count: number): Promise<CdsPage> {
    const answer = await this.#post("Browse", browseBody(objectId, start, count));
    return parseCdsAnswer(answer.status, answer.text, "Browse");
  }

  /**
   * A page of children read cheaply: a full parse of a 50-item page costs the client ~5 ms,
   * more than the servers take, so the tree walk uses this.
   */
  async browseCounts(objectId: string, start: number, count: number): Promise<CdsCounts> {
    const answer = await this.#post("Browse", browseBody(objectId, start, count));
    return { ...readCounts(answer.status, answer.text), ms: answer.ms };
  }

  /** A Search, timed to the end of the answer; read cheaply. */
  async search(containerId: string, criteria: string, start: number, count: number) {
    const body = soapEnvelope("Search", [
      ["ContainerID", containerId],
      ["SearchCriteria", criteria],
      ["Filter", "*"],
      ["StartingIndex", start],
      ["RequestedCount", count],
      ["SortCriteria", ""],
    ]);
    const answer = await this.#post("Search", body);
    return { ...readCounts(answer.status, answer.text), ms: answer.ms };
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

  async #post(action: string, body: string): Promise<{ status: number; text: string; ms: number }> {
    const headers = {
      "content-type": 'text/xml; charset="utf-8"',
      soapaction: `"${CDS}#${action}"`,
      "content-length": String(Buffer.byteLength(body)),
    };
    const t0 = performance.now();
    let answer: { status: number; text: string };
    try {
      answer = await post(this.controlUrl, headers, body, this.#agent);
    } catch (err) {
      // libupnp (Gerbera) closes idle connections without saying so: retry a reused socket once.
      if (!(err instanceof ReusedSocketError)) throw err;
      answer = await post(this.controlUrl, headers, body, this.#agent);
    }
    return { ...answer, ms: performance.now() - t0 };
  }
}

class ReusedSocketError extends Error {}

/**
 * One POST with node:http and a keep-alive agent: fetch (undici) costs the client 1–3 ms per
 * request on these cores, as much as a server's answer, so timings would mostly be the client's.
 */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
  agent: Agent,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("error", (err) => reject(req.reusedSocket ? new ReusedSocketError(err.message) : err));
    req.setTimeout(120_000, () => req.destroy(new Error(`no answer from ${url} in 120 s`)));
    req.end(body);
  });
}

/** NumberReturned, TotalMatches and container ids by regular expressions on the answer. */
function readCounts(status: number, xml: string): Omit<CdsCounts, "ms"> {
  const number = (tag: string) => Number(new RegExp(`<${tag}[^>]*>(\\d+)<`).exec(xml)?.[1] ?? 0);
  const result = /<Result[^>]*>([\s\S]*?)<\/Result>/.exec(xml)?.[1] ?? "";
  const didl = result.startsWith("<![CDATA[") ? result.slice(9, -3) : unescapeXml(result);
  const containerIds = [...didl.matchAll(/<container\b[^>]*?\sid="([^"]*)"/g)].map((m) =>
    unescapeXml(m[1] ?? ""),
  );
  return {
    status,
    numberReturned: status === 200 ? number("NumberReturned") : 0,
    totalMatches: status === 200 ? number("TotalMatches") : 0,
    containerIds,
  };
}

function unescapeXml(s: string): string {
  return s
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&apos;", "'")
    .replace(/&#(x?)([0-9a-f]+);/gi, (_, x: string, n: string) =>
      String.fromCodePoint(parseInt(n, x ? 16 : 10)),
    )
    .replaceAll("&amp;", "&");
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
