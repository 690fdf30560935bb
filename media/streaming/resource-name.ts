import { parseObjectId } from "../library/object-ids.js";

/** An extension is decoration (clients like to see one), but only letters and digits. */
const EXTENSION = /^[A-Za-z0-9]{1,10}$/;
const SUBTITLE = /^(0|[1-9][0-9]{0,2})(?:\.[A-Za-z0-9]{1,10})?$/;

/**
 * Parsers for the decoded last segment of a streaming URL; undefined means 404. No part of a
 * name ever becomes a path: an id must fit the object id grammar (no ".", "/", "%" or NUL gets
 * through) and is then looked up in the catalog; an extension is checked, then ignored.
 */
export const resourceName = {
  /** "<objectId>" or "<objectId>.<ext>" naming an item or a reference: the object id. */
  item(name: string): string | undefined {
    const objectId = withoutExtension(name);
    const kind = objectId === undefined ? undefined : parseObjectId(objectId)?.kind;
    return kind === "item" || kind === "ref" ? objectId : undefined;
  },

  /** "<index>" or "<index>.<fmt>", index 0–999: the index. */
  subtitle(name: string): number | undefined {
    const match = SUBTITLE.exec(name);
    return match === null ? undefined : Number(match[1]);
  },

  /** "<objectId>.jpg" naming any object: the object id. */
  art(name: string): string | undefined {
    if (!name.toLowerCase().endsWith(".jpg")) return undefined;
    const objectId = name.slice(0, -".jpg".length);
    return parseObjectId(objectId) === undefined ? undefined : objectId;
  },
};

function withoutExtension(name: string): string | undefined {
  const dot = name.indexOf(".");
  if (dot < 0) return name;
  return EXTENSION.test(name.slice(dot + 1)) ? name.slice(0, dot) : undefined;
}
