import { randomUUID } from "node:crypto";
import type { CatalogNamespace } from "../../storage/catalog/catalog-namespace.js";

/** Catalog key (namespace `media`) of the device's UUID. */
const UUID_KEY = "server/uuid";

/**
 * The device's UUID: made once and kept in the catalog, so TVs and phones that remember "The
 * Library" (and their bookmarks in it) still find it after a restart, an upgrade or a rebuilt
 * index. One write on the first start, none after.
 */
export async function deviceUuid(ns: CatalogNamespace): Promise<string> {
  const stored = await ns.get<string>(UUID_KEY);
  if (typeof stored === "string" && /^[0-9a-f-]{36}$/.test(stored)) return stored;
  const uuid = randomUUID();
  await ns.put(UUID_KEY, uuid);
  return uuid;
}
