import type { CatalogMigration } from "../../storage/catalog/catalog-namespace.js";
import { catalogKeys, type LibraryMeta } from "./catalog-keys.js";
import { fixedSkeletonOps } from "./fixed-containers.js";

/**
 * The library's schema versions. Version 1: the key layout of README.md, and the fixed
 * containers. A later change of how ids, records or sort keys are computed adds a version here
 * that rewrites what it must (usually: keep the file entries and item records, clear the child
 * entries and container records, and rebuild them from the items' placements).
 */
export const librarySchema: readonly CatalogMigration[] = [
  {
    version: 1,
    description: "media library: objects, child index, file index, fixed containers",
    async up(ns) {
      const meta: LibraryMeta = { u: 0, n: 1 };
      await ns.batch([...fixedSkeletonOps(), { type: "put", key: catalogKeys.meta, value: meta }]);
    },
  },
];
