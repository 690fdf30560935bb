// The catalog's public face: the host opens a Catalog; services see only CatalogNamespace.
export { Catalog, type CatalogOptions, type CatalogStats } from "./catalog.js";
export type { CatalogLog } from "./catalog-log.js";
export type {
  CatalogMigration,
  CatalogNamespace,
  CatalogOp,
  CatalogRange,
  EntryPageOptions,
} from "./catalog-namespace.js";
