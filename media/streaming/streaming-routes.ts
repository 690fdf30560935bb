import type { IncomingHttpHeaders } from "node:http";
import { resolve, sep } from "node:path";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import type { RouteRegistrar } from "../../services/http/route-registrar.js";
import type { ClientQuirks } from "../clients/client-profiles.js";
import { THUMBNAIL_PROTOCOL_INFO, dlnaFeatures } from "../content-directory/protocol-info.js";
import type { LibraryItem } from "../library/library-object.js";
import type { Library } from "../library/library.js";
import { parseObjectId } from "../library/object-ids.js";
import { requestContext } from "../soap/request-context.js";
import type { ThumbnailMaker } from "../thumbnails/thumbnail-maker.js";
import { ArtLocator } from "./art-locator.js";
import { BufferPool } from "./buffer-pool.js";
import { type TransferClass, negotiateDlna } from "./dlna-headers.js";
import { FileSender } from "./file-sender.js";
import { resourceName } from "./resource-name.js";

/** What the streaming routes read; nothing here writes to the catalog. */
export interface StreamingDeps {
  library: Pick<Library, "getObject" | "itemFile" | "artItemId">;
  /** media.roots' paths by root id (ItemFile.rootId). */
  rootPaths: readonly string[];
  thumbnails: Pick<ThumbnailMaker, "cached" | "makeNow">;
  log: Logger;
  /** The client registry (media/clients), for per-device quirks; without it every client is generic. */
  clients?: { observe(address: string, headers: IncomingHttpHeaders): { quirks: ClientQuirks } };
  /** The longest a request for art waits for a thumbnail made on demand. Default 5 000 ms. */
  artWaitMs?: number;
  /** Files served at once; more get 503 with Retry-After. Default 50 (MiniDLNA's max_connections). */
  maxTransfers?: number;
}

/**
 * Read size: 2 MiB cost 5 % less CPU per GiB than 1 MiB and 4 MiB 6 % less again (README), but a
 * stalled client pins one buffer, so 2 MiB. A few stay pooled for the next stream.
 */
const CHUNK_BYTES = 2 * 1024 * 1024;
const IDLE_BUFFERS = 4;
/** The 4th protocolInfo field of the art res (DLNA: contentFeatures equals it). */
const THUMBNAIL_FEATURES = THUMBNAIL_PROTOCOL_INFO.split(":")[3] ?? "DLNA.ORG_PN=JPEG_TN";
/** Subtitle res elements say `http-get:*:<mime>:*`, hence "*". */
const SUBTITLE_FEATURES = "*";

/**
 * The media server's byte routes (open: DLNA renderers cannot log in), relative to /media:
 * - GET/HEAD /res/<itemId>.<ext>: an item's file, with byte ranges and DLNA headers;
 * - GET/HEAD /res/<itemId>/sub/<index>.<fmt>: a sidecar subtitle;
 * - GET/HEAD /art/<objectId>.jpg: the JPEG_TN thumbnail of an item or a container.
 * Only catalog objects are served: the URL names an id, the catalog names the file.
 */
export function streamingRoutes(http: RouteRegistrar, deps: StreamingDeps): void {
  const streamer = new Streamer(deps);
  const open = { access: "open" } as const;
  const methods: Array<"GET" | "HEAD"> = ["GET", "HEAD"];
  http.route(methods, "/res/:file", (q, r) => streamer.item(q, r), open);
  http.route(methods, "/res/:itemId/sub/:file", (q, r) => streamer.subtitle(q, r), open);
  http.route(methods, "/art/:file", (q, r) => streamer.art(q, r), open);
}

class Streamer {
  readonly #deps: StreamingDeps;
  readonly #sender: FileSender;
  readonly #art: ArtLocator;

  constructor(deps: StreamingDeps) {
    this.#deps = deps;
    const pool = new BufferPool({ chunkBytes: CHUNK_BYTES, maxIdle: IDLE_BUFFERS });
    const maxTransfers = deps.maxTransfers ?? 50;
    this.#sender = new FileSender({ pool, log: deps.log, maxTransfers });
    this.#art = new ArtLocator(deps, { waitMs: deps.artWaitMs ?? 5_000 });
  }

  async item(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const objectId = resourceName.item(param(request, "file"));
    const item = objectId === undefined ? undefined : await this.#item(objectId);
    const file = item === undefined ? undefined : await this.#deps.library.itemFile(item.itemId);
    const absPath = file === undefined ? undefined : this.#absPath(file.rootId, file.relPath);
    if (item === undefined || file === undefined || absPath === undefined) {
      return notFound(reply, "no such item");
    }
    const quirks = this.#quirks(request);
    const features = dlnaFeatures(item.mediaClass, item.dlnaProfile, !quirks?.skipDlnaProfile);
    const transferClass: TransferClass = item.mediaClass === "image" ? "still" : "av";
    const isSamsung = quirks?.samsung === true;
    const dlna = negotiateDlna(request.headers, transferClass, features, { isSamsung });
    if ("refused" in dlna) return void reply.code(406).send({ error: dlna.refused });
    const subtitle = item.mediaClass === "video" ? item.subtitles[0] : undefined;
    if (subtitle !== undefined && request.headers["getcaptioninfo.sec"] !== undefined) {
      // Samsung asks for the caption URL with the video rather than reading it from DIDL.
      const { baseUrl } = requestContext(request.raw);
      dlna.headers["CaptionInfo.sec"] =
        `${baseUrl}/res/${item.itemId}/sub/${subtitle.index}.${subtitle.format}`;
    }
    await this.#sender.send(request, reply, { absPath, mime: file.mime, headers: dlna.headers });
  }

  async subtitle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const index = resourceName.subtitle(param(request, "file"));
    const itemId = param(request, "itemId");
    const item = index === undefined ? undefined : await this.#item(itemId);
    const subtitle = index === undefined ? undefined : item?.subtitles[index];
    const file =
      item === undefined || subtitle === undefined
        ? undefined
        : await this.#deps.library.itemFile(item.itemId);
    const relPath = subtitle === undefined ? undefined : file?.subtitleRelPaths[subtitle.index];
    const absPath =
      file === undefined || relPath === undefined ? undefined : this.#absPath(file.rootId, relPath);
    if (subtitle === undefined || absPath === undefined) {
      return notFound(reply, "no such subtitle");
    }
    const dlna = negotiateDlna(request.headers, "still", SUBTITLE_FEATURES);
    if ("refused" in dlna) return void reply.code(406).send({ error: dlna.refused });
    await this.#sender.send(request, reply, {
      absPath,
      mime: subtitle.mime,
      headers: dlna.headers,
    });
  }

  async art(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const objectId = resourceName.art(param(request, "file"));
    const absPath = objectId === undefined ? undefined : await this.#art.locate(objectId);
    if (absPath === undefined) return notFound(reply, "no art for this object");
    const dlna = negotiateDlna(request.headers, "still", THUMBNAIL_FEATURES);
    if ("refused" in dlna) return void reply.code(406).send({ error: dlna.refused });
    await this.#sender.send(request, reply, { absPath, mime: "image/jpeg", headers: dlna.headers });
  }

  /** The item an id names (a reference resolves to its item's file, with its own checks). */
  async #item(objectId: string): Promise<LibraryItem | undefined> {
    const parsed = parseObjectId(objectId);
    if (parsed === undefined || parsed.kind === "container") return undefined;
    const object = await this.#deps.library.getObject(objectId);
    return object?.isContainer === false ? object : undefined;
  }

  /**
   * Root path + catalog relPath. The catalog holds what the indexer found under the root, so this
   * never leaves it; checked anyway, as a catalog from an older build is still input.
   */
  #absPath(rootId: number, relPath: string): string | undefined {
    const root = this.#deps.rootPaths[rootId];
    if (root === undefined || relPath.includes("\0")) return undefined;
    const base = resolve(root);
    const absPath = resolve(base, relPath);
    return absPath.startsWith(base + sep) ? absPath : undefined;
  }

  #quirks(request: FastifyRequest): ClientQuirks | undefined {
    const clients = this.#deps.clients;
    if (clients === undefined) return undefined;
    return clients.observe(requestContext(request.raw).remoteAddress, request.headers).quirks;
  }
}

function param(request: FastifyRequest, name: string): string {
  const value = (request.params as Record<string, string | undefined>)[name];
  return value ?? "";
}

function notFound(reply: FastifyReply, error: string): void {
  void reply.code(404).send({ error });
}
