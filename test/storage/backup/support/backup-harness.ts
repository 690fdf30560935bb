import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { Catalog } from "../../../../storage/catalog/index.js";
import { Backups } from "../../../../storage/backup/index.js";
import { backupConfigSchema } from "../../../../storage/backup/config-schema.js";

export interface Harness {
  dir: string;
  dataDir: string;
  catalog: Catalog;
  backups: Backups;
  /** Log lines the engine wrote (pino JSON objects). */
  logs: Array<Record<string, unknown>>;
  /** Reopens the engine on the same catalog (a restart), with another config or the last one. */
  reopen(config?: unknown, options?: EngineOptions): Promise<Backups>;
  close(): Promise<void>;
}

interface EngineOptions {
  env?: NodeJS.ProcessEnv;
  resticPath?: string;
  mountinfo?: string;
  now?: () => Date;
}

/**
 * The backup engine as the service runs it, in-process: the real config schema (defaults filled
 * in), a real LevelDB catalog in a temp dir, real restic. `config` is the `backup:` section.
 */
export async function openHarness(config: unknown, options: EngineOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "hearth-backup-"));
  const dataDir = join(dir, "data", "backup");
  const catalog = await Catalog.open({ dir: join(dir, "data", "catalog") });
  const logs: Array<Record<string, unknown>> = [];
  const log = pino(
    { level: "debug", base: undefined },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const make = async (cfg: unknown, o: EngineOptions) => {
    const backups = new Backups({
      config: backupConfigSchema.parse(cfg),
      catalog: catalog.namespace("backup"),
      dataDir,
      log,
      env: { ...process.env, ...o.env },
      ...(o.resticPath ? { resticPath: o.resticPath } : {}),
      ...(o.mountinfo ? { mountinfo: o.mountinfo } : {}),
      ...(o.now ? { now: o.now } : {}),
    });
    await backups.open();
    return backups;
  };
  let current = { config, options };
  const harness: Harness = {
    dir,
    dataDir,
    catalog,
    logs,
    backups: await make(config, options),
    reopen: async (cfg = current.config, o = current.options) => {
      current = { config: cfg, options: o };
      return (harness.backups = await make(cfg, o));
    },
    close: async () => {
      await catalog.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
