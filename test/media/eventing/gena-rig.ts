import {
  ContentDirectoryEvents,
  EventPublisher,
  eventRoutes,
  type ContentDirectoryEventsOptions,
} from "../../../media/eventing/index.js";
import { mediaHttp, type MediaHttp } from "../support/media-http.js";
import { CallbackServer, until } from "./callback-server.js";
import { gena, type GenaResponse } from "./gena-client.js";
import { ManualTimers } from "./manual-timers.js";

export const SERVER_HEADER = "Linux/6.1 UPnP/1.0 hearth/0.1.0";
export const SOURCE_PROTOCOL_INFO = "http-get:*:audio/mpeg:*,http-get:*:video/mp4:*";

/** hearth's real HTTP server with GENA routes for cds and cms, a subscriber, a manual clock. */
export interface GenaRig {
  media: MediaHttp;
  subscriber: CallbackServer;
  timers: ManualTimers;
  cds: ContentDirectoryEvents;
  cms: EventPublisher;
  /** What the CDS reports as SystemUpdateID to new subscribers. */
  systemUpdateId: number;
  eventUrl(service?: string): string;
  /** SUBSCRIBE with NT and CALLBACK (the subscriber's URL) plus `headers`. */
  subscribe(headers?: Record<string, string>, service?: string): Promise<GenaResponse>;
  /** Resolves once no NOTIFY of the CDS publisher is in flight. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function genaRig(
  options: Partial<ContentDirectoryEventsOptions> = {},
): Promise<GenaRig> {
  const media = await mediaHttp();
  const subscriber = await CallbackServer.start();
  const timers = new ManualTimers();
  const rig: GenaRig = {
    media,
    subscriber,
    timers,
    systemUpdateId: 7,
    cds: new ContentDirectoryEvents({
      systemUpdateId: () => rig.systemUpdateId,
      log: media.log,
      timers,
      ...options,
    }),
    cms: new EventPublisher({
      service: "cms",
      log: media.log,
      timers,
      variables: [
        { name: "SourceProtocolInfo", initial: () => SOURCE_PROTOCOL_INFO },
        { name: "SinkProtocolInfo", initial: () => "" },
        { name: "CurrentConnectionIDs", initial: () => "0" },
      ],
    }),
    eventUrl: (service = "cds") => `${media.url}/media/upnp/event/${service}`,
    subscribe: (headers = {}, service = "cds") =>
      gena(rig.eventUrl(service), "SUBSCRIBE", {
        NT: "upnp:event",
        CALLBACK: `<${subscriber.url()}>`,
        ...headers,
      }),
    settled: () => until(() => rig.cds.notifiesInFlight === 0, "NOTIFYs to settle"),
    async close() {
      rig.cds.close();
      rig.cms.close();
      await subscriber.close();
      await media.close();
    },
  };
  eventRoutes(media.http, [rig.cds, rig.cms], { serverHeader: SERVER_HEADER, log: media.log });
  return rig;
}

/** The NOTIFY body hearth sends for these variables, in this order. */
export function propertySetOf(values: Record<string, string>): string {
  const properties = Object.entries(values)
    .map(([name, value]) => `<e:property><${name}>${value}</${name}></e:property>`)
    .join("");
  return `<?xml version="1.0" encoding="utf-8"?><e:propertyset xmlns:e="urn:schemas-upnp-org:event-1-0">${properties}</e:propertyset>`;
}
