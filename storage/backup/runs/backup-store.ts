import type { CatalogNamespace } from "../../catalog/index.js";
import type { DiskRegistry } from "../destinations/mount-guard.js";
import type { RunKind, RunRecord } from "./run-record.js";

/** Runs kept per job and kind; older ones are dropped when a new one is recorded. */
const KEEP_RUNS = 100;

/** A run that was under way when hearth stopped; found again at the next start. */
export interface RunningMarker {
  job: string;
  kind: RunKind;
  startedAt: string;
  pid: number;
}

/**
 * The backup service's part of the catalog (namespace `backup`). Keys:
 * - `run/<job>/<kind>/<startedAt>` → RunRecord (ISO times sort in order)
 * - `running/<job>` → RunningMarker while a run is under way (a crash leaves it behind)
 * - `slot/<job>/<kind>` → ISO time of the last scheduled slot taken (catch-up after downtime)
 * - `disk/<mount point>` → the disk id hearth wrote on the backup disk
 * - `repo/<target id>` → ISO time of the first backup hearth made there
 * Written only when something happens: an idle box writes nothing.
 */
export class BackupStore {
  readonly #ns: CatalogNamespace;

  constructor(ns: CatalogNamespace) {
    this.#ns = ns;
  }

  async recordRun(record: RunRecord): Promise<void> {
    const prefix = `run/${record.job}/${record.kind}/`;
    await this.#ns.put(`${prefix}${record.startedAt}`, record);
    const old: string[] = [];
    for await (const key of this.#ns.keys({ prefix, reverse: true })) {
      old.push(key);
    }
    if (old.length > KEEP_RUNS) {
      await this.#ns.batch(old.slice(KEEP_RUNS).map((key) => ({ type: "del" as const, key })));
    }
  }

  /** Newest first. */
  async runs(job: string, kind: RunKind, limit = 20): Promise<RunRecord[]> {
    const prefix = `run/${job}/${kind}/`;
    const runs: RunRecord[] = [];
    for await (const [, value] of this.#ns.entries({ prefix, reverse: true, limit })) {
      runs.push(value as RunRecord);
    }
    return runs;
  }

  async lastRun(job: string, kind: RunKind): Promise<RunRecord | undefined> {
    return (await this.runs(job, kind, 1))[0];
  }

  /** The newest run that produced a snapshot (ok or warning). */
  async lastSuccess(job: string): Promise<RunRecord | undefined> {
    for (const run of await this.runs(job, "backup", KEEP_RUNS)) {
      if (run.outcome === "ok" || run.outcome === "warning") return run;
    }
    return undefined;
  }

  markRunning(marker: RunningMarker): Promise<void> {
    return this.#ns.put(`running/${marker.job}`, marker);
  }

  clearRunning(job: string): Promise<void> {
    return this.#ns.del(`running/${job}`);
  }

  async runningMarkers(): Promise<RunningMarker[]> {
    const markers: RunningMarker[] = [];
    for await (const [, value] of this.#ns.entries({ prefix: "running/" })) {
      markers.push(value as RunningMarker);
    }
    return markers;
  }

  async slot(job: string, kind: RunKind): Promise<string | undefined> {
    return (await this.#ns.get(`slot/${job}/${kind}`)) as string | undefined;
  }

  setSlot(job: string, kind: RunKind, at: string): Promise<void> {
    return this.#ns.put(`slot/${job}/${kind}`, at);
  }

  async repositoryUsedSince(targetId: string): Promise<string | undefined> {
    return (await this.#ns.get(`repo/${targetId}`)) as string | undefined;
  }

  setRepositoryUsed(targetId: string, at: string): Promise<void> {
    return this.#ns.put(`repo/${targetId}`, at);
  }

  /** Which disk belongs at which mount point. */
  get disks(): DiskRegistry {
    return {
      get: async (mount) => (await this.#ns.get(`disk/${mount}`)) as string | undefined,
      set: (mount, id) => this.#ns.put(`disk/${mount}`, id),
    };
  }
}
