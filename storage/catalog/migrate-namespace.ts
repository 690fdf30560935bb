import { HearthError } from "../../services/errors.js";
import type { CatalogLog } from "./catalog-log.js";
import type { CatalogMigration, CatalogNamespace } from "./catalog-namespace.js";
import type { MetaStore } from "./meta-store.js";
import { MigrationBuffer } from "./migration-buffer.js";
import type { WriteSink } from "./write-queue.js";

/** What `migrateNamespace` needs from the catalog. */
export interface MigrationContext {
  readonly meta: MetaStore;
  /** The real write path; a migration's buffer and version bump go through it as one batch. */
  readonly queue: WriteSink;
  readonly log: CatalogLog;
  /** The namespace being migrated, writing into `sink` instead of the queue. */
  bufferedView(sink: WriteSink): CatalogNamespace;
}

/**
 * Runs the pending migrations of namespace `name`; the contract is `CatalogNamespace.migrate`.
 * Not safe to run twice at once for one namespace: a service calls it once, in `start()`.
 */
export async function migrateNamespace(
  name: string,
  migrations: readonly CatalogMigration[],
  context: MigrationContext,
): Promise<number> {
  const ordered = checkedMigrations(name, migrations);
  let version = await context.meta.schemaVersion(name);
  const newest = ordered.at(-1)?.version ?? 0;
  if (version > newest) {
    throw new HearthError(
      "E_CATALOG",
      `the catalog's "${name}" data is at schema version ${version}, but this hearth knows only up to version ${newest}: a newer hearth wrote it`,
      {
        fix: "upgrade hearth to the release that wrote this data (or later), or restore the catalog from a backup made with this release",
      },
    );
  }
  for (const migration of ordered) {
    if (migration.version <= version) continue;
    const buffer = new MigrationBuffer();
    try {
      await migration.up(context.bufferedView(buffer));
    } catch (err) {
      throw new HearthError(
        "E_CATALOG",
        `catalog migration "${name}" to version ${migration.version} failed; the data stays at version ${version}`,
        {
          cause: err,
          fix: "see the cause; the migration runs again the next time the service starts",
        },
      );
    }
    // One caller write = one LevelDB batch: the migration's changes and its version bump land
    // together, so a crash here leaves either the old data at the old version or both new.
    await context.queue.write([
      ...buffer.seal(),
      context.meta.schemaVersionOp(name, migration.version),
    ]);
    context.log.info(
      { namespace: name, from: version, to: migration.version, what: migration.description },
      "catalog namespace migrated",
    );
    version = migration.version;
  }
  return version;
}

/** The migrations sorted by version; a list that cannot be meant is a bug in the service. */
function checkedMigrations(
  name: string,
  migrations: readonly CatalogMigration[],
): CatalogMigration[] {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((migration, i) => {
    if (!Number.isSafeInteger(migration.version) || migration.version < 1) {
      throw new TypeError(
        `catalog migration versions must be integers ≥ 1 (${name}: ${migration.version})`,
      );
    }
    if (i > 0 && ordered[i - 1]?.version === migration.version) {
      throw new TypeError(
        `catalog migration version ${migration.version} appears twice for ${name}`,
      );
    }
  });
  return ordered;
}
