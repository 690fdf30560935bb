import type { LibraryObject } from "../library/index.js";
import type { SearchProperty } from "./search-expression.js";

/** A property's value on one object: text, or a number for numbers and durations. */
export type SearchValue = string | number;
type ValueOf = (object: LibraryObject) => SearchValue | undefined;

const yearText = (year: number | undefined): string | undefined =>
  year === undefined ? undefined : String(year).padStart(4, "0");

/**
 * Where each property's value comes from, mirroring what the DIDL-Lite of the object carries.
 * Containers have only the structural properties, plus artist and year on albums; the album
 * artist of a track is its album artist tag, else its artist (as the Album artists tree files
 * it). undefined = the object has no such property (`exists false`; every compare is false).
 */
export const propertyValues: Readonly<Record<SearchProperty, ValueOf>> = {
  "@id": (o) => o.id,
  "@parentID": (o) => o.parentId,
  "@refID": (o) => (o.isContainer ? undefined : o.refId),
  "dc:title": (o) => o.title,
  "dc:creator": (o) => (o.isContainer ? o.artist : (o.artist ?? o.albumArtist)),
  "dc:date": (o) => (o.isContainer ? yearText(o.year) : (o.date ?? yearText(o.year))),
  "upnp:class": (o) => o.upnpClass,
  "upnp:artist": (o) => o.artist,
  "upnp:album": (o) => (o.isContainer ? undefined : o.album),
  "upnp:genre": (o) => (o.isContainer ? undefined : o.genre),
  "upnp:albumArtist": (o) => (o.isContainer ? o.artist : (o.albumArtist ?? o.artist)),
  "upnp:originalTrackNumber": (o) => (o.isContainer ? undefined : o.trackNumber),
  "res@size": (o) => (o.isContainer ? undefined : o.sizeBytes),
  "res@duration": (o) => (o.isContainer ? undefined : o.durationSeconds),
  // Clients look for a MIME type in it ("contains \"audio/mpeg\""); the DLNA fourth field would
  // only make "= \"http-get:*:audio/mpeg:*\"" fail.
  "res@protocolInfo": (o) => (o.isContainer ? undefined : `http-get:*:${o.mime}:*`),
};

/**
 * Text as a person compares it: case and accents ignored ("beyonce" finds "Beyoncé"),
 * compatibility forms unified (NFKD: "ﬁ" is "fi", fullwidth letters are ASCII).
 */
export function foldText(text: string): string {
  // ASCII needs no normalisation: the common case, kept cheap.
  if (/^[\x20-\x7e]*$/.test(text)) return text.toLowerCase();
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A decimal number from a quoted value ("7", " 4000000 ", "2.5"); undefined otherwise. */
export function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed.length > 30 || !NUMBER.test(trimmed)) return undefined;
  return Number(trimmed);
}

const DURATION = /^\+?(\d{1,9}):([0-5]?\d):([0-5]?\d)(\.\d{1,9})?$/;

/** res@duration "H+:MM:SS[.F+]" (ContentDirectory:1 Appendix B) in seconds; else undefined. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (match === null) return undefined;
  const [, hours, minutes, seconds, fraction] = match;
  return Number(hours) * 3600 + Number(minutes) * 60 + Number(seconds) + Number(fraction ?? 0);
}

/** Seconds as res@duration text, "H:MM:SS.mmm" (what `contains` on res@duration looks in). */
export function formatDuration(totalSeconds: number): string {
  const millis = Math.round(totalSeconds * 1000);
  const two = (n: number): string => String(n).padStart(2, "0");
  const hours = Math.floor(millis / 3_600_000);
  const minutes = Math.floor(millis / 60_000) % 60;
  const seconds = Math.floor(millis / 1000) % 60;
  return `${hours}:${two(minutes)}:${two(seconds)}.${String(millis % 1000).padStart(3, "0")}`;
}
