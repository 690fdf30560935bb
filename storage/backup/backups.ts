import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { resolveSecret } from "../../services/config/secret-ref.js";
import type { CatalogNamespace } from "../catalog/index.js";
import { BackupFailure } from "./backup-failure.js";
import type { HostState } from "../../services/host/service.js";
import { HEARTH_STATE_JOB, type BackupConfig, type BackupJobConfig } from "./config-schema.js";
import { destinationLabel } from "./destinations/destination-label.js";
import { resolveTarget } from "./destinations/resolve-target.js";
import { Notifier } from "./notify/notifier.js";
import { prepareTarget } from "./restore/restore-target.js";
import { Repository, type FoundFile } from "./restic/repository.js";
import type { ResticNode, ResticSnapshot } from "./restic/restic-messages.js";
import { BackupStore } from "./runs/backup-store.js";
import { JobRunner } from "./runs/job-runner.js";
import { RepositoryLocks } from "./runs/repository-lock.js";
import type { RunKind, RunProgress, RunRecord, RunTrigger } from "./runs/run-record.js";
import { isOverdue, nextSlot } from "./schedule/job-schedule.js";

export interface BackupsOptions {
  config: BackupConfig;
  catalog: CatalogNamespace;
  /** <data>/backup. */
  dataDir: string;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  resticPath?: string;
  mountinfo?: string;
  now?: () => Date;
  /** hearth's config file and catalog, for the built-in hearth-state job. */
  hostState?: HostState;
}

/** A job as the dashboard, `hearth status` and `hearth backup list` show it. */
export interface JobView {
  name: string;
  schedule: string;
  nextRunAt: string | null;
  destinations: Array<{ type: string; label: string }>;
  /** running; ok/warning/failed/interrupted: how the last backup went; overdue; never: no backup yet. */
  state: "running" | "ok" | "warning" | "failed" | "interrupted" | "overdue" | "never";
  lastRun: RunRecord | null;
  lastSuccessAt: string | null;
  lastCheck: RunRecord | null;
  progress: RunProgress | null;
}

/**
 * The backup engine without the daemon around it: jobs from config, runs, history, snapshots and
 * restores. The service schedules it; `hearth backup` uses it directly when no daemon runs.
 */
export class Backups {
  readonly store: BackupStore;
  readonly runner: JobRunner;
  readonly #o: BackupsOptions;
  readonly #last = new Map<
    string,
    { backup?: RunRecord; check?: RunRecord; success?: RunRecord; since: string }
  >();

  readonly #jobs: Record<string, BackupJobConfig>;

  constructor(options: BackupsOptions) {
    this.#o = options;
    this.#jobs = withStateJob(options.config, this.#stageDir);
    this.store = new BackupStore(options.catalog);
    this.runner = new JobRunner({
      store: this.store,
      locks: new RepositoryLocks(join(options.dataDir, "locks")),
      notifier: new Notifier(options.config.notify, options.log),
      dataDir: options.dataDir,
      log: options.log,
      ...(options.env ? { env: options.env } : {}),
      ...(options.resticPath ? { resticPath: options.resticPath } : {}),
      ...(options.mountinfo ? { mountinfo: options.mountinfo } : {}),
      onRecorded: (record) => this.#remember(record),
    });
  }

  /** Where the dashboard suggests restoring to: inside hearth's data dir, which it may always write. */
  get restoreRoot(): string {
    return join(this.#o.dataDir, "restores");
  }

  get jobs(): Record<string, BackupJobConfig> {
    return this.#jobs;
  }

  /** Records runs a crash interrupted and loads each job's last results. */
  async open(): Promise<RunRecord[]> {
    await mkdir(this.#o.dataDir, { recursive: true, mode: 0o700 });
    await mkdir(this.restoreRoot, { recursive: true, mode: 0o750 });
    const interrupted = await this.runner.recoverInterrupted();
    for (const name of Object.keys(this.jobs)) await this.#refresh(name);
    return interrupted;
  }

  job(name: string): BackupJobConfig {
    const job = this.jobs[name];
    if (!job) {
      const known = Object.keys(this.jobs);
      throw new BackupFailure(
        "not-found",
        `there is no backup job named "${name}"`,
        known.length
          ? `Jobs in the config file: ${known.join(", ")}.`
          : "Add one under backup.jobs in the config file (see etc/hearth.example.yaml).",
      );
    }
    return job;
  }

  async run(
    name: string,
    kind: RunKind,
    trigger: RunTrigger,
    options: { signal?: AbortSignal; allowInit?: boolean } = {},
  ): Promise<RunRecord> {
    const prepare =
      name === HEARTH_STATE_JOB && kind === "backup" ? () => this.#stageState() : undefined;
    try {
      return await this.runner.run(name, this.job(name), kind, trigger, {
        ...options,
        ...(prepare ? { prepare } : {}),
      });
    } finally {
      // The staged copy of the catalog is in the repository now: don't keep a second one around.
      if (prepare) await rm(this.#stageDir, { recursive: true, force: true });
    }
  }

  get #stageDir(): string {
    return join(this.#o.dataDir, "hearth-state");
  }

  /**
   * Puts what the hearth-state job backs up into its folder: the config file and a consistent
   * copy of the catalog (a LevelDB folder hearth opens as it is).
   */
  async #stageState(): Promise<void> {
    const host = this.#o.hostState;
    if (!host) {
      throw new BackupFailure(
        "failed",
        "hearth's own state can only be backed up by the running daemon",
        "Run it through the daemon (start hearth), or wait for its schedule.",
      );
    }
    const stage = this.#stageDir;
    await rm(stage, { recursive: true, force: true });
    await mkdir(stage, { recursive: true, mode: 0o700 });
    if (host.configFile) await copyFile(host.configFile, join(stage, "hearth.yaml"));
    const keys = await host.copyCatalog(join(stage, "catalog"));
    await writeFile(
      join(stage, "README.txt"),
      [
        "hearth's own state, backed up by the hearth-state job.",
        `catalog/: a copy of hearth's catalog (${keys} keys). To bring it back: stop hearth, move`,
        "  this folder to <data dir>/catalog (default /var/lib/hearth/catalog), start hearth.",
        "hearth.yaml: the config file hearth was started with (absent on the built-in default).",
        "",
      ].join("\n"),
    );
  }

  /** Keeps the views current the moment a run is recorded (views() does no I/O). */
  #remember(record: RunRecord): void {
    const last = this.#last.get(record.job) ?? { since: record.startedAt };
    if (record.kind === "backup") {
      last.backup = record;
      if (record.outcome === "ok" || record.outcome === "warning") last.success = record;
    } else if (record.kind === "check") {
      last.check = record;
    }
    this.#last.set(record.job, last);
  }

  /** Sync and I/O-free: from the last results kept in memory. */
  views(): JobView[] {
    const now = this.#now();
    const running = new Map(this.runner.progress().map((p) => [p.job, p]));
    return Object.entries(this.jobs).map(([name, job]) => {
      const last = this.#last.get(name) ?? { since: now.toISOString() };
      const lastRun = last.backup ?? null;
      const since = last.success?.endedAt ?? last.since;
      let state: JobView["state"] = lastRun ? lastRun.outcome : "never";
      if (state !== "failed" && isOverdue(job.schedule, new Date(since), now)) state = "overdue";
      const progress = running.get(name) ?? null;
      if (progress) state = "running";
      const next = nextSlot(job.schedule, now);
      return {
        name,
        schedule: job.schedule,
        nextRunAt: next ? next.toISOString() : null,
        destinations: job.destinations.map((d) => ({ type: d.type, label: destinationLabel(d) })),
        state,
        lastRun,
        lastSuccessAt: last.success?.endedAt ?? null,
        lastCheck: last.check ?? null,
        progress,
      };
    });
  }

  async history(name: string, kind: RunKind, limit = 20): Promise<RunRecord[]> {
    this.job(name);
    return this.store.runs(name, kind, limit);
  }

  async repository(name: string, destination = 0): Promise<Repository> {
    const job = this.job(name);
    const dest = job.destinations[destination];
    if (!dest) {
      throw new BackupFailure(
        "not-found",
        `job ${name} has no destination number ${destination}`,
        `Destinations are numbered from 0 to ${job.destinations.length - 1} in the order of the config file.`,
      );
    }
    const target = await resolveTarget(dest, {
      disks: this.store.disks,
      dataDir: this.#o.dataDir,
      ...(this.#o.env ? { env: this.#o.env } : {}),
      ...(this.#o.mountinfo ? { mountinfo: this.#o.mountinfo } : {}),
    });
    return new Repository({
      target,
      password: secretOrFailure(job, this.#o.env),
      cacheDir: join(this.#o.dataDir, "cache", target.id),
      // Restores and listings run at the job's priority too: a 1 GB restore must not starve
      // Browse or the phones any more than a backup does.
      nice: job.nice,
      ...(this.#o.resticPath ? { resticPath: this.#o.resticPath } : {}),
      ...(this.#o.env ? { env: this.#o.env } : {}),
    });
  }

  async snapshots(name: string, destination = 0): Promise<ResticSnapshot[]> {
    return (await this.repository(name, destination)).snapshots();
  }

  async list(name: string, snapshot: string, path: string, destination = 0): Promise<ResticNode[]> {
    return (await this.repository(name, destination)).list(snapshot, path);
  }

  async find(name: string, pattern: string, destination = 0): Promise<FoundFile[]> {
    return (await this.repository(name, destination)).find(pattern);
  }

  /**
   * Restores a snapshot, or one file or folder of it, below `to`, which must be absent or empty
   * unless `overwrite`: a restore never silently replaces files.
   */
  async restore(
    name: string,
    snapshot: string,
    options: {
      to: string;
      path?: string;
      destination?: number;
      overwrite?: boolean;
      signal?: AbortSignal;
    },
  ): Promise<{ to: string }> {
    await prepareTarget(options.to, { overwrite: options.overwrite === true });
    const repo = await this.repository(name, options.destination ?? 0);
    await repo.restore(snapshot, options.to, {
      ...(options.path ? { include: options.path } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { to: options.to };
  }

  async #refresh(name: string): Promise<void> {
    const previous = this.#last.get(name);
    const since =
      previous?.since ?? (await this.store.slot(name, "backup")) ?? this.#now().toISOString();
    const backup = await this.store.lastRun(name, "backup");
    const check = await this.store.lastRun(name, "check");
    const success = await this.store.lastSuccess(name);
    this.#last.set(name, {
      since,
      ...(backup ? { backup } : {}),
      ...(check ? { check } : {}),
      ...(success ? { success } : {}),
    });
  }

  #now(): Date {
    return this.#o.now?.() ?? new Date();
  }
}

function secretOrFailure(job: BackupJobConfig, env: NodeJS.ProcessEnv | undefined): string {
  try {
    return resolveSecret(job.password, env);
  } catch (err) {
    throw new BackupFailure(
      "secret",
      `cannot read the repository password: ${(err as Error).message}`,
      (err as { fix?: string }).fix ?? "Check the job's password reference.",
    );
  }
}

/** The configured jobs, plus hearth-state when `hearthState` names the job whose destinations it shares. */
function withStateJob(config: BackupConfig, stageDir: string): Record<string, BackupJobConfig> {
  const base = config.hearthState ? config.jobs[config.hearthState] : undefined;
  if (!base) return config.jobs;
  const { excludes: _e, excludeIfPresent: _i, ...rest } = base;
  return {
    ...config.jobs,
    [HEARTH_STATE_JOB]: { ...rest, sources: [stageDir], excludeCaches: false, hooks: {} },
  };
}
