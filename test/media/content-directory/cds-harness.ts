import { XMLParser } from "fast-xml-parser";
import pino from "pino";
import type { IndexedFile } from "../../../media/library/media-types.js";
import type { Library } from "../../../media/library/index.js";
import {
  runSoapControl,
  type RequestContext,
  type SoapService,
} from "../../../media/soap/index.js";
import { LibraryFixture, track } from "../library/library-fixture.js";
import { smallLibrary } from "../library/small-library.js";

export const CDS = "urn:schemas-upnp-org:service:ContentDirectory:1";
export const BASE = "http://10.0.0.5:8200/media";
export const request: RequestContext = {
  baseUrl: BASE,
  remoteAddress: "10.0.0.9",
  userAgent: "test",
  headers: {},
};

/**
 * smallLibrary() (items i1–i8 in its order) plus: i9 a track with every tag, ia a file whose
 * metadata could not be read, ib a track whose tags hold XML's special characters.
 */
export function testFiles(): IndexedFile[] {
  return [
    ...smallLibrary(),
    track(
      "Queen/Greatest Hits/11 Bohemian Rhapsody.mp3",
      {
        title: "Bohemian Rhapsody",
        artist: "Queen",
        albumArtist: "Various Artists",
        album: "Greatest Hits",
        genre: "Rock",
        trackNumber: 11,
        discNumber: 1,
        year: 1981,
        durationSeconds: 354.321,
        bitrateBps: 256_000,
        sampleRateHz: 48_000,
        channels: 2,
        hasEmbeddedArt: true,
      },
      { sizeBytes: 11_340_000 },
    ),
    {
      rootId: 0,
      relPath: "broken.mp3",
      sizeBytes: 1234,
      mtimeMs: Date.UTC(2024, 0, 1),
      mediaClass: "audio",
      mime: "audio/mpeg",
      metadataError: "truncated MPEG frame",
    },
    track("odd.mp3", {
      title: `Rock & Roll <Live> "Best" 'Of'`,
      artist: "A&B <C>",
      album: `"Q" & 'R'`,
    }),
  ];
}

/** A LibraryFixture holding `testFiles()`. */
export async function openTestLibrary(): Promise<{ fixture: LibraryFixture; library: Library }> {
  const fixture = new LibraryFixture();
  const library = await fixture.open();
  await library.apply({ upserts: testFiles() });
  return { fixture, library };
}

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
});

/** What a control point gets back: the status, out-arguments by name, or the UPnP error code. */
export interface CallResult {
  status: number;
  /** The SOAP response as sent. */
  body: string;
  out: Record<string, string>;
  /** Out-argument names in the order they were sent. */
  outNames: string[];
  errorCode?: number;
}

/** Sends one SOAP control request through runSoapControl, as the HTTP route does. */
export async function call(
  service: SoapService,
  action: string,
  args: Record<string, string> = {},
  context: RequestContext = request,
): Promise<CallResult> {
  const inner = Object.entries(args)
    .map(([name, value]) => `<${name}>${escapeText(value)}</${name}>`)
    .join("");
  const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:${action} xmlns:u="${CDS}">${inner}</u:${action}></s:Body></s:Envelope>`;
  const outcome = await runSoapControl(
    service,
    body,
    `"${CDS}#${action}"`,
    context,
    pino({ level: "silent" }),
  );
  const parsed = parser.parse(outcome.body) as {
    Envelope: { Body: Record<string, Record<string, string> | string> };
  };
  const response = parsed.Envelope.Body[`${action}Response`];
  const out = typeof response === "object" ? response : {};
  return {
    status: outcome.status,
    body: outcome.body,
    out,
    outNames: Object.keys(out),
    ...(outcome.errorCode === undefined ? {} : { errorCode: outcome.errorCode }),
  };
}

function escapeText(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Browse's in-arguments with defaults a typical control point sends. */
export function browseArgs(
  objectId: string,
  extra: Partial<
    Record<"BrowseFlag" | "Filter" | "StartingIndex" | "RequestedCount" | "SortCriteria", string>
  > = {},
): Record<string, string> {
  return {
    ObjectID: objectId,
    BrowseFlag: "BrowseDirectChildren",
    Filter: "*",
    StartingIndex: "0",
    RequestedCount: "0",
    SortCriteria: "",
    ...extra,
  };
}

/** The ids of the objects in a DIDL-Lite Result, in order. */
export function idsIn(didl: string): string[] {
  return [...didl.matchAll(/<(?:item|container) id="([^"]*)"/g)].map((m) => m[1] ?? "");
}
