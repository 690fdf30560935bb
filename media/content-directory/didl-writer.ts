import type { LibraryContainer, LibraryItem, LibraryObject } from "../library/index.js";
import { xmlEscape } from "../soap/index.js";
import type { DidlFilter } from "./didl-filter.js";
import { extensionForMime } from "./mime-extension.js";
import { protocolInfo, THUMBNAIL_PROTOCOL_INFO } from "./protocol-info.js";

/** The DIDL-Lite root with every namespace hearth's objects use (sec: Samsung's captions). */
export const DIDL_OPEN =
  '<DIDL-Lite xmlns="urn:schemas-upnp-org:metadata-1-0/DIDL-Lite/" xmlns:dc="http://purl.org/dc/elements/1.1/"' +
  ' xmlns:upnp="urn:schemas-upnp-org:metadata-1-0/upnp/" xmlns:dlna="urn:schemas-dlna-org:metadata-1-0/"' +
  ' xmlns:sec="http://www.sec.co.kr/">';
export const DIDL_CLOSE = "</DIDL-Lite>";

const ALBUM_CLASS = "object.container.album.musicAlbum";

/** How one request wants its objects written. */
export interface DidlOptions {
  /** RequestContext.baseUrl ("http://10.0.0.5:8200/media"): res and art URLs start with it. */
  baseUrl: string;
  filter: DidlFilter;
  /** searchable="1" on containers: only once the service answers Search. Default false. */
  isSearchable?: boolean;
  /** Subtitle res elements and sec:CaptionInfoEx (a client profile may turn them off). Default true. */
  withSubtitles?: boolean;
  /** DLNA.ORG_PN in protocolInfo (a client profile may turn it off). Default true. */
  withDlnaProfile?: boolean;
  /**
   * Whether a container gets an albumArtURI (`<baseUrl>/art/<id>.jpg`, resolved by the art route
   * with `Library.artItemId`). Must not read anything. Default: music albums.
   */
  hasContainerArt?: (container: LibraryContainer) => boolean;
}

const isAlbum = (container: LibraryContainer): boolean => container.upnpClass === ALBUM_CLASS;

/**
 * Writes LibraryObjects as DIDL-Lite (ContentDirectory:1 §2.8, DLNA guidelines 7.3): every value
 * escaped exactly once with xmlEscape, optional properties only when the filter asks for them.
 * Plain string concatenation: a page of 50 objects takes a few tens of microseconds. One writer
 * per request (it holds the request's base URL and filter); it keeps no other state.
 */
export class DidlWriter {
  readonly #filter: DidlFilter;
  readonly #base: string;
  readonly #isSearchable: boolean;
  readonly #withSubtitles: boolean;
  readonly #withDlnaProfile: boolean;
  readonly #hasContainerArt: (container: LibraryContainer) => boolean;
  /**
   * Everything an item's DIDL depends on besides the item (base URL, filter, client options):
   * writers with equal variants write equal items (DidlFragments keys on it).
   */
  readonly variant: string;

  constructor(options: DidlOptions) {
    this.#filter = options.filter;
    this.#base = xmlEscape(options.baseUrl);
    this.#isSearchable = options.isSearchable ?? false;
    this.#withSubtitles = options.withSubtitles ?? true;
    this.#withDlnaProfile = options.withDlnaProfile ?? true;
    this.#hasContainerArt = options.hasContainerArt ?? isAlbum;
    const flags = Object.values(this.#filter).map((on) => (on === true ? "1" : "0"));
    this.variant = `${this.#base} ${flags.join("")}${+this.#withSubtitles}${+this.#withDlnaProfile}`;
  }

  /** A whole DIDL-Lite document (Browse's and Search's Result). */
  document(objects: Iterable<LibraryObject>): string {
    let xml = DIDL_OPEN;
    for (const object of objects) xml += this.object(object);
    return xml + DIDL_CLOSE;
  }

  /** One `<container>` or `<item>` element. */
  object(object: LibraryObject): string {
    return object.isContainer ? this.container(object) : this.item(object);
  }

  container(container: LibraryContainer): string {
    const f = this.#filter;
    let xml = `<container id="${xmlEscape(container.id)}" parentID="${xmlEscape(container.parentId)}" restricted="1"`;
    if (f.searchable && this.#isSearchable) xml += ' searchable="1"';
    if (f.childCount) xml += ` childCount="${container.childCount}"`;
    xml += `>${element("dc:title", container.title)}${element("upnp:class", container.upnpClass)}`;
    if (container.artist !== undefined) {
      if (f.creator) xml += element("dc:creator", container.artist);
      if (f.artist) xml += element("upnp:artist", container.artist);
    }
    if (f.date && container.year !== undefined) xml += element("dc:date", yearDate(container.year));
    if (f.albumArt && this.#hasContainerArt(container)) xml += this.#albumArt(container.id);
    return `${xml}</container>`;
  }

  item(item: LibraryItem): string {
    const f = this.#filter;
    let xml = `<item id="${xmlEscape(item.id)}" parentID="${xmlEscape(item.parentId)}" restricted="1"`;
    if (f.refId && item.refId !== undefined) xml += ` refID="${xmlEscape(item.refId)}"`;
    xml += `>${element("dc:title", item.title)}${element("upnp:class", item.upnpClass)}`;
    xml += this.#itemProperties(item);
    if (f.albumArt && hasItemArt(item)) xml += this.#albumArt(item.itemId);
    if (f.res) xml += this.#resources(item);
    if (f.captionInfo && this.#withSubtitles) xml += this.#captionInfo(item);
    return `${xml}</item>`;
  }

  #itemProperties(item: LibraryItem): string {
    const f = this.#filter;
    let xml = "";
    if (f.creator && item.artist !== undefined) xml += element("dc:creator", item.artist);
    if (f.artist) {
      if (item.artist !== undefined) xml += element("upnp:artist", item.artist);
      if (item.albumArtist !== undefined && item.albumArtist !== item.artist)
        xml += `<upnp:artist role="AlbumArtist">${xmlEscape(item.albumArtist)}</upnp:artist>`;
    }
    if (f.album && item.album !== undefined) xml += element("upnp:album", item.album);
    if (f.genre && item.genre !== undefined) xml += element("upnp:genre", item.genre);
    if (f.trackNumber && item.trackNumber !== undefined)
      xml += element("upnp:originalTrackNumber", item.trackNumber);
    if (f.date) {
      const date = item.date ?? (item.year === undefined ? undefined : yearDate(item.year));
      if (date !== undefined) xml += element("dc:date", date);
    }
    return xml;
  }

  #resources(item: LibraryItem): string {
    const id = xmlEscape(item.itemId);
    const info = protocolInfo(item.mime, item.mediaClass, item.dlnaProfile, this.#withDlnaProfile);
    let xml = `<res protocolInfo="${xmlEscape(info)}"${this.#resAttributes(item)}>`;
    xml += `${this.#base}/res/${id}.${extensionForMime(item.mime)}</res>`;
    if (this.#withSubtitles) {
      for (const subtitle of item.subtitles) {
        xml += `<res protocolInfo="http-get:*:${xmlEscape(subtitle.mime)}:*">`;
        xml += `${this.#base}/res/${id}/sub/${subtitle.index}.${xmlEscape(subtitle.format)}</res>`;
      }
    }
    if (item.mediaClass === "image") {
      xml += `<res protocolInfo="${THUMBNAIL_PROTOCOL_INFO}">${this.#base}/art/${id}.jpg</res>`;
    }
    return xml;
  }

  #resAttributes(item: LibraryItem): string {
    const f = this.#filter;
    let xml = "";
    if (f.resSize) xml += attribute("size", item.sizeBytes);
    if (f.resDuration && isCount(item.durationSeconds))
      xml += ` duration="${didlDuration(item.durationSeconds)}"`;
    if (f.resBitrate && isCount(item.bitrateBps)) xml += attribute("bitrate", item.bitrateBps / 8);
    if (f.resSampleFrequency) xml += attribute("sampleFrequency", item.sampleRateHz);
    if (f.resChannels) xml += attribute("nrAudioChannels", item.channels);
    if (f.resResolution && isCount(item.width) && isCount(item.height))
      xml += ` resolution="${Math.round(item.width)}x${Math.round(item.height)}"`;
    return xml;
  }

  /** Samsung TVs read one caption URL from here; the first subtitle is the preferred one. */
  #captionInfo(item: LibraryItem): string {
    const subtitle = item.subtitles[0];
    if (subtitle === undefined) return "";
    const format = xmlEscape(subtitle.format);
    const url = `${this.#base}/res/${xmlEscape(item.itemId)}/sub/${subtitle.index}.${format}`;
    return `<sec:CaptionInfoEx sec:type="${format}">${url}</sec:CaptionInfoEx>`;
  }

  #albumArt(objectId: string): string {
    return `<upnp:albumArtURI dlna:profileID="JPEG_TN">${this.#base}/art/${xmlEscape(objectId)}.jpg</upnp:albumArtURI>`;
  }
}

/** Embedded art, a folder cover, or a picture or video (the thumbnail maker makes one). */
function hasItemArt(item: LibraryItem): boolean {
  return item.hasEmbeddedArt || item.hasCover || item.mediaClass !== "audio";
}

function element(name: string, value: string | number): string {
  return `<${name}>${xmlEscape(value)}</${name}>`;
}

/** ` name="n"` for a finite, non-negative number (rounded: res attributes are integers). */
function attribute(name: string, value: number | undefined): string {
  return isCount(value) ? ` ${name}="${Math.round(value)}"` : "";
}

function isCount(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value >= 0;
}

/** res@duration: "H:MM:SS.mmm" (ContentDirectory:1 Appendix B.2, DLNA 7.3.22). */
export function didlDuration(seconds: number): string {
  const totalMs = Math.max(0, Math.round(seconds * 1000));
  const ms = totalMs % 1000;
  const totalSeconds = (totalMs - ms) / 1000;
  const s = totalSeconds % 60;
  const m = Math.floor(totalSeconds / 60) % 60;
  const h = Math.floor(totalSeconds / 3600);
  return `${h}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}`;
}

/** dc:date of a year alone: an ISO 8601 date, as clients parse dc:date as one. */
function yearDate(year: number): string {
  return `${pad(year, 4)}-01-01`;
}

function pad(value: number, digits: number): string {
  return String(value).padStart(digits, "0");
}
