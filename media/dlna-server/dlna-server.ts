import { release } from "node:os";
import type { Logger } from "pino";
import type { RouteRegistrar } from "../../services/http/route-registrar.js";
import type { CatalogNamespace } from "../../storage/catalog/catalog-namespace.js";
import { ClientRegistry, type SeenClient } from "../clients/index.js";
import {
  connectionManager,
  connectionManagerState,
  sourceProtocols,
} from "../connection-manager/index.js";
import { contentDirectory } from "../content-directory/index.js";
import {
  CONNECTION_MANAGER,
  CONTENT_DIRECTORY,
  DEVICE_DESCRIPTION_PATH,
  descriptionRoutes,
  MEDIA_RECEIVER_REGISTRAR,
} from "../description/index.js";
import { MEDIA_PATH_PREFIX } from "../soap/index.js";
import { ContentDirectoryEvents, EventPublisher, eventRoutes } from "../eventing/index.js";
import type { Library } from "../library/index.js";
import { MEDIA_RECEIVER_REGISTRAR_STATE, mediaReceiverRegistrar } from "../registrar/index.js";
import { parseSearchCriteria, SEARCH_CAPABILITIES, searchLibrary } from "../search/index.js";
import { SsdpAdvertiser, type SsdpStatus } from "../ssdp/index.js";
import { streamingRoutes } from "../streaming/index.js";
import type { ThumbnailMaker } from "../thumbnails/thumbnail-maker.js";
import { controlRoutes } from "./control-routes.js";
import { deviceUuid } from "./device-identity.js";

export interface DlnaServerOptions {
  http: RouteRegistrar;
  /** The media service's catalog namespace (the device UUID, client overrides). */
  ns: CatalogNamespace;
  library: Library;
  /** Thumbnails and album art for /media/art (made on demand when missing). */
  thumbnails: ThumbnailMaker;
  /** The configured media roots' paths, by root id: where /media/res finds files. */
  rootPaths: readonly string[];
  friendlyName: string;
  /** Interfaces to announce on (config `media.interfaces`); default every LAN interface. */
  interfaces?: readonly string[];
  /** hearth's version: modelNumber and the SERVER header. */
  version: string;
  log: Logger;
}

/** What the dashboard shows about the server. */
export interface DlnaServerStatus {
  udn: string;
  friendlyName: string;
  subscribers: number;
  clients: SeenClient[];
  ssdp: SsdpStatus;
}

/**
 * The UPnP/DLNA MediaServer around a Library: description, SOAP services (ContentDirectory,
 * ConnectionManager, X_MS_MediaReceiverRegistrar), GENA eventing of library changes, and the
 * per-client quirks. `start` registers every route on the media service's registrar;
 * `close` ends subscriptions.
 */
export class DlnaServer {
  readonly #o: DlnaServerOptions;
  readonly #udn: string;
  readonly #clients: ClientRegistry;
  readonly #publishers: EventPublisher[];
  #stopUpdates: (() => void) | undefined;
  #ssdp: SsdpAdvertiser | undefined;

  private constructor(o: DlnaServerOptions, uuid: string, clients: ClientRegistry) {
    this.#o = o;
    this.#udn = `uuid:${uuid}`;
    this.#clients = clients;
    const log = o.log;
    const protocols = sourceProtocols();
    const cmsState = connectionManagerState({ sourceProtocols: protocols });
    const cds = new ContentDirectoryEvents({
      systemUpdateId: () => o.library.systemUpdateId(),
      log,
    });
    this.#publishers = [
      cds,
      fixedPublisher("cms", cmsState, log),
      fixedPublisher("msr", MEDIA_RECEIVER_REGISTRAR_STATE, log),
    ];
    this.#stopUpdates = o.library.onUpdate((update) => cds.publish(update));
  }

  static async start(o: DlnaServerOptions): Promise<DlnaServer> {
    const uuid = await deviceUuid(o.ns);
    const clients = await ClientRegistry.open(o.ns.sub("clients"));
    const server = new DlnaServer(o, uuid, clients);
    await server.#routes();
    await server.#announce(uuid);
    return server;
  }

  get udn(): string {
    return this.#udn;
  }

  /** The SERVER header of SSDP and GENA: OS, UPnP version, product. */
  get serverHeader(): string {
    return `Linux/${release()} UPnP/1.0 hearth/${this.#o.version}`;
  }

  get clients(): ClientRegistry {
    return this.#clients;
  }

  status(): DlnaServerStatus {
    return {
      udn: this.#udn,
      friendlyName: this.#o.friendlyName,
      subscribers: this.#publishers.reduce((n, p) => n + p.subscriberCount, 0),
      clients: this.#clients.list(),
      ssdp: this.#ssdp?.status() ?? {
        state: "stopped",
        interfaces: [],
        lastAliveAt: null,
        reason: "the HTTP server does not listen",
      },
    };
  }

  /** SSDP's state alone (cheap, for health()). */
  ssdpStatus(): SsdpStatus | undefined {
    return this.#ssdp?.status();
  }

  /** Says byebye on the network, ends subscriptions. */
  async close(): Promise<void> {
    this.#stopUpdates?.();
    this.#stopUpdates = undefined;
    for (const publisher of this.#publishers) publisher.close();
    await this.#ssdp?.stop();
    this.#ssdp = undefined;
  }

  /** SSDP on the LAN interfaces the HTTP server is reachable on. */
  async #announce(uuid: string): Promise<void> {
    const listening = this.#o.http.listening();
    if (listening === undefined) return;
    this.#ssdp = new SsdpAdvertiser({
      uuid,
      port: listening.port,
      descriptionPath: `${MEDIA_PATH_PREFIX}${DEVICE_DESCRIPTION_PATH}`,
      interfaces: this.#o.interfaces,
      listenAddress: listening.address,
      serverName: this.serverHeader,
      log: this.#o.log,
    });
    await this.#ssdp.start();
  }

  async #routes(): Promise<void> {
    const { http, library, log } = this.#o;
    await descriptionRoutes(http, {
      friendlyName: this.#o.friendlyName,
      udn: this.#udn,
      serialNumber: this.#udn.slice(5, 13),
      modelNumber: this.#o.version,
    });
    const cds = contentDirectory({
      library,
      search: {
        capabilities: SEARCH_CAPABILITIES,
        run: (containerId, criteria, page) =>
          searchLibrary(library, containerId, parseSearchCriteria(criteria), page),
      },
      clientOptions: (request) => ({
        withSubtitles: request.quirks?.captionRes ?? false,
        withDlnaProfile: !(request.quirks?.skipDlnaProfile ?? false),
      }),
    });
    controlRoutes(
      http,
      [
        { controlPath: CONTENT_DIRECTORY.controlPath, service: cds },
        {
          controlPath: CONNECTION_MANAGER.controlPath,
          service: connectionManager({ sourceProtocols: sourceProtocols() }),
        },
        { controlPath: MEDIA_RECEIVER_REGISTRAR.controlPath, service: mediaReceiverRegistrar() },
      ],
      this.#clients,
      log,
    );
    eventRoutes(http, this.#publishers, { serverHeader: this.serverHeader, log });
    streamingRoutes(http, {
      library,
      rootPaths: this.#o.rootPaths,
      thumbnails: this.#o.thumbnails,
      log: log.child({ part: "streaming" }),
      clients: this.#clients,
    });
  }
}

/** A publisher of values that never change after start: only initial events. */
function fixedPublisher(
  service: string,
  state: ReadonlyArray<readonly [string, string]>,
  log: Logger,
): EventPublisher {
  return new EventPublisher({
    service,
    variables: state.map(([name, value]) => ({ name, initial: () => value })),
    log,
  });
}
