import { join } from "node:path";
import type { Logger } from "pino";
import { resolveSecret } from "../../../services/config/secret-ref.js";
import { BackupFailure } from "../backup-failure.js";
import type { BackupJobConfig } from "../config-schema.js";
import { destinationLabel } from "../destinations/destination-label.js";
import { resolveTarget } from "../destinations/resolve-target.js";
import type { Notifier } from "../notify/notifier.js";
import { Repository } from "../restic/repository.js";
import type { ResticStatus, ResticSummary } from "../restic/restic-messages.js";
import type { BackupStore } from "./backup-store.js";
import type { RepositoryLocks } from "./repository-lock.js";
import { formatBytes } from "../format-bytes.js";
import { runHook } from "./run-hook.js";
import {
  worstOutcome,
  type BackupSummary,
  type DestinationResult,
  type RunError,
  type RunKind,
  type RunProgress,
  type RunRecord,
  type RunTrigger,
} from "./run-record.js";

export interface JobRunnerOptions {
  store: BackupStore;
  locks: RepositoryLocks;
  notifier: Notifier;
  /** <data>/backup: caches, lock files, hearth's own known_hosts. */
  dataDir: string;
  log: Logger;
  env?: NodeJS.ProcessEnv;
  resticPath?: string;
  mountinfo?: string;
  /** Called with each run's record as soon as it is in the catalog. */
  onRecorded?: (record: RunRecord) => void;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Create a repository where one hearth used before has gone missing. */
  allowInit?: boolean;
  /** Work before the pre hook (staging hearth's own state). */
  prepare?: () => Promise<void>;
}

/**
 * Runs one job's backup, check or forget on each of its destinations in turn, and keeps the
 * record. The rules that make it trustworthy:
 * - every restic call is preceded by the destination's guard (mounted, right disk);
 * - a repository is created (`init`) only where hearth has never backed up before: a repository
 *   that vanished from a place hearth used is reported, never silently started afresh;
 * - stale locks are cleared with a plain `restic unlock` before exclusive commands and after an
 *   interrupted run, never with --remove-all;
 * - exit 3 (some files unreadable) is a warning that lists the files, not a failure.
 */
export class JobRunner {
  readonly #o: JobRunnerOptions;
  readonly #progress = new Map<string, RunProgress>();
  /** Jobs whose last run was interrupted: their repositories may hold a stale lock. */
  readonly #needsUnlock = new Set<string>();

  constructor(options: JobRunnerOptions) {
    this.#o = options;
  }

  /** Live progress of each running job. */
  progress(): RunProgress[] {
    return [...this.#progress.values()];
  }

  isRunning(job: string): boolean {
    return this.#progress.has(job);
  }

  /** Records runs a crash interrupted (their `running/` markers) and remembers to unlock. */
  async recoverInterrupted(): Promise<RunRecord[]> {
    const records: RunRecord[] = [];
    for (const marker of await this.#o.store.runningMarkers()) {
      if (marker.pid === process.pid) continue;
      const record: RunRecord = {
        job: marker.job,
        kind: marker.kind,
        trigger: "schedule",
        startedAt: marker.startedAt,
        endedAt: new Date().toISOString(),
        outcome: "interrupted",
        destinations: [],
        error: {
          kind: "interrupted",
          message: "hearth stopped while this run was under way (power cut, crash or kill)",
          fix: "Nothing to do: the next run continues where restic's data left off.",
        },
      };
      await this.#o.store.recordRun(record);
      await this.#o.store.clearRunning(marker.job);
      this.#needsUnlock.add(marker.job);
      records.push(record);
    }
    return records;
  }

  async run(
    name: string,
    job: BackupJobConfig,
    kind: RunKind,
    trigger: RunTrigger,
    options: RunOptions = {},
  ): Promise<RunRecord> {
    if (this.#progress.has(name)) {
      throw new BackupFailure("busy", `${name} is already running`, "Wait for it to finish.");
    }
    const startedAt = new Date().toISOString();
    this.#progress.set(name, blankProgress(name, kind, startedAt));
    const { store, log, notifier } = this.#o;
    let record: RunRecord | undefined;
    try {
      await store.markRunning({ job: name, kind, startedAt, pid: process.pid });
      if (kind === "backup") await notifier.send(name, "start", `backup ${name} started`);
      record = await this.#runJob(name, job, kind, trigger, startedAt, options);
      return record;
    } finally {
      if (record) {
        await store.recordRun(record);
        this.#o.onRecorded?.(record);
      }
      // Only now: whoever sees the run gone from progress also sees its record.
      this.#progress.delete(name);
      await store.clearRunning(name);
      if (record) {
        this.#log(record);
        await this.#notify(record);
      }
      log.debug({ job: name, kind }, "run finished");
    }
  }

  async #runJob(
    name: string,
    job: BackupJobConfig,
    kind: RunKind,
    trigger: RunTrigger,
    startedAt: string,
    options: RunOptions,
  ): Promise<RunRecord> {
    const base = { job: name, kind, trigger, startedAt };
    const finish = (destinations: DestinationResult[], error?: RunError): RunRecord => ({
      ...base,
      endedAt: new Date().toISOString(),
      outcome: error
        ? error.kind === "interrupted"
          ? "interrupted"
          : "failed"
        : worstOutcome(destinations.map((d) => d.outcome)),
      destinations,
      ...(error ? { error } : {}),
    });
    let password: string;
    try {
      password = resolveSecret(job.password, this.#o.env);
      await options.prepare?.();
      if (kind === "backup" && job.hooks.pre) {
        await runHook(
          "pre",
          job.hooks.pre,
          { HEARTH_BACKUP_JOB: name },
          optionalSignal(options.signal),
        );
      }
    } catch (err) {
      return finish([], asRunError(err));
    }
    const destinations: DestinationResult[] = [];
    for (const dest of job.destinations) {
      if (options.signal?.aborted) break;
      destinations.push(await this.#onDestination(name, job, kind, dest, password, options));
    }
    const record = finish(destinations);
    if (kind === "backup" && job.hooks.post) {
      try {
        await runHook(
          "post",
          job.hooks.post,
          { HEARTH_BACKUP_JOB: name, HEARTH_BACKUP_STATUS: record.outcome },
          optionalSignal(options.signal),
        );
      } catch (err) {
        return {
          ...record,
          outcome: worstOutcome([record.outcome, "warning"]),
          error: asRunError(err),
        };
      }
    }
    return record;
  }

  async #onDestination(
    name: string,
    job: BackupJobConfig,
    kind: RunKind,
    dest: BackupJobConfig["destinations"][number],
    password: string,
    options: { signal?: AbortSignal; allowInit?: boolean },
  ): Promise<DestinationResult> {
    const { store, locks, dataDir } = this.#o;
    let result: DestinationResult = { id: "", label: destinationLabel(dest), outcome: "failed" };
    try {
      const target = await resolveTarget(dest, {
        disks: store.disks,
        dataDir,
        ...(this.#o.env ? { env: this.#o.env } : {}),
        ...(this.#o.mountinfo ? { mountinfo: this.#o.mountinfo } : {}),
      });
      result = { id: target.id, label: target.label, outcome: "failed" };
      const repo = new Repository({
        target,
        password,
        cacheDir: join(dataDir, "cache", target.id),
        nice: job.nice,
        ...(job.nice.limitUploadKiBs ? { limitUploadKiBs: job.nice.limitUploadKiBs } : {}),
        ...(this.#o.resticPath ? { resticPath: this.#o.resticPath } : {}),
        ...(this.#o.env ? { env: this.#o.env } : {}),
      });
      const progress = this.#progress.get(name);
      if (progress) progress.destination = target.label;
      return await locks.with(target.id, async () => {
        const signal = options.signal;
        // Exclusive commands refuse to run next to any lock, stale ones included.
        if (kind !== "backup" || this.#needsUnlock.has(name)) await repo.unlock(signal);
        if (kind === "check") {
          await repo.check(job.check.readDataSubset, signal);
          return { ...result, outcome: "ok" };
        }
        if (kind === "forget") {
          await repo.forget(job.keep, signal);
          return { ...result, outcome: "ok" };
        }
        const backedUp = await this.#backup(name, job, repo, options);
        this.#needsUnlock.delete(name);
        result = {
          ...result,
          outcome: backedUp.warningCount > 0 ? "warning" : "ok",
          ...(backedUp.summary ? { summary: toSummary(backedUp.summary) } : {}),
          ...(backedUp.warningCount > 0
            ? { warnings: backedUp.warnings.slice(0, 50), warningCount: backedUp.warningCount }
            : {}),
        };
        return result;
      });
    } catch (err) {
      return {
        ...result,
        outcome: (err as BackupFailure).kind === "interrupted" ? "interrupted" : "failed",
        error: asRunError(err),
      };
    }
  }

  async #backup(
    name: string,
    job: BackupJobConfig,
    repo: Repository,
    options: { signal?: AbortSignal; allowInit?: boolean },
  ) {
    const selection = {
      sources: job.sources,
      ...(job.excludes ? { excludes: job.excludes } : {}),
      ...(job.excludeCaches ? { excludeCaches: true } : {}),
      ...(job.excludeIfPresent ? { excludeIfPresent: job.excludeIfPresent } : {}),
    };
    const call = {
      ...optionalSignal(options.signal),
      onStatus: (status: ResticStatus) => this.#onStatus(name, status),
    };
    const { store } = this.#o;
    const targetId = repo.target.id;
    try {
      const result = await repo.backup(selection, call);
      if ((await store.repositoryUsedSince(targetId)) === undefined) {
        await store.setRepositoryUsed(targetId, new Date().toISOString());
      }
      return result;
    } catch (err) {
      if (!(err instanceof BackupFailure)) throw err;
      if (err.kind === "locked") {
        await repo.unlock(options.signal);
        return repo.backup(selection, call);
      }
      if (err.kind !== "no-repository") throw err;
      const usedSince = await store.repositoryUsedSince(targetId);
      if (usedSince !== undefined && !options.allowInit) {
        throw new BackupFailure(
          "repository-missing",
          `the repository at ${repo.target.label} is gone, though hearth has backed up there since ${usedSince}`,
          `Check that the right share, bucket or disk is behind ${repo.target.label}. To start a new, empty repository there, run: hearth backup run ${name} --init`,
        );
      }
      this.#o.log.info(
        { job: name, destination: repo.target.label },
        "creating the restic repository",
      );
      await repo.init(options.signal);
      const result = await repo.backup(selection, call);
      await store.setRepositoryUsed(targetId, new Date().toISOString());
      return result;
    }
  }

  #onStatus(name: string, status: ResticStatus): void {
    const progress = this.#progress.get(name);
    if (!progress) return;
    const elapsed = status.seconds_elapsed ?? 0;
    progress.percent = Math.round((status.percent_done ?? 0) * 1000) / 10;
    progress.bytesDone = status.bytes_done ?? 0;
    progress.totalBytes = status.total_bytes ?? 0;
    progress.filesDone = status.files_done ?? 0;
    progress.totalFiles = status.total_files ?? 0;
    progress.bytesPerSecond = elapsed > 0 ? Math.round(progress.bytesDone / elapsed) : 0;
    progress.etaSeconds = status.seconds_remaining ?? null;
    progress.currentFile = status.current_files?.[0] ?? null;
  }

  /** One log line per run: the reason and the fix on failure, the files on a warning. */
  #log(record: RunRecord): void {
    const { log } = this.#o;
    const problems = [
      ...(record.error ? [record.error] : []),
      ...record.destinations.flatMap((d) =>
        [d.error].filter((e): e is RunError => e !== undefined),
      ),
    ];
    const facts = { job: record.job, kind: record.kind, outcome: record.outcome };
    if (record.outcome === "failed" || record.outcome === "interrupted") {
      log.error(
        { ...facts, problems },
        `${record.kind} ${record.job} failed: ${problems[0]?.message ?? "unknown"}. ${problems[0]?.fix ?? ""}`,
      );
    } else if (record.outcome === "warning") {
      const files = record.destinations.flatMap((d) => d.warnings ?? []).map((w) => w.path);
      log.warn(
        { ...facts, files: files.slice(0, 20), problems },
        `${record.kind} ${record.job} finished with warnings`,
      );
    } else {
      log.info(facts, `${record.kind} ${record.job} done`);
    }
  }

  async #notify(record: RunRecord): Promise<void> {
    const text = describeRun(record);
    const event =
      record.outcome === "ok" ? "success" : record.outcome === "warning" ? "warning" : "failure";
    if (record.kind !== "backup" && event === "success") return;
    await this.#o.notifier.send(record.job, event, text);
  }
}

/** One human sentence about a run, for notifications and the CLI. */
export function describeRun(record: RunRecord): string {
  const what = `${record.kind} ${record.job}`;
  const problem = record.error ?? record.destinations.map((d) => d.error).find(Boolean);
  if (record.outcome === "failed" || record.outcome === "interrupted") {
    return `${what} failed: ${problem?.message ?? "unknown reason"}. ${problem?.fix ?? ""}`.trim();
  }
  if (record.outcome === "warning") {
    const unreadable = record.destinations.reduce((n, d) => n + (d.warningCount ?? 0), 0);
    return unreadable > 0
      ? `${what} finished, but ${unreadable} file(s) could not be read: ${record.destinations
          .flatMap((d) => d.warnings ?? [])
          .slice(0, 5)
          .map((w) => w.path)
          .join(", ")}`
      : `${what} finished with a warning: ${problem?.message ?? ""}`;
  }
  const added = record.destinations.reduce((n, d) => n + (d.summary?.bytesAdded ?? 0), 0);
  return `${what} done${record.kind === "backup" ? `, ${formatBytes(added)} added` : ""}`;
}

function toSummary(s: ResticSummary): BackupSummary {
  return {
    snapshotId: s.snapshot_id,
    filesNew: s.files_new,
    filesChanged: s.files_changed,
    filesUnmodified: s.files_unmodified,
    bytesAdded: s.data_added,
    totalFiles: s.total_files_processed,
    totalBytes: s.total_bytes_processed,
    seconds: Math.round(s.total_duration * 100) / 100,
  };
}

function asRunError(err: unknown): RunError {
  if (err instanceof BackupFailure) return err.toJSON();
  return {
    kind: "failed",
    message: err instanceof Error ? err.message : String(err),
    fix: "See hearth's log (journalctl -u hearth) for details.",
  };
}

function optionalSignal(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {};
}

function blankProgress(job: string, kind: RunKind, startedAt: string): RunProgress {
  return {
    job,
    kind,
    startedAt,
    destination: "",
    percent: 0,
    bytesDone: 0,
    totalBytes: 0,
    filesDone: 0,
    totalFiles: 0,
    bytesPerSecond: 0,
    etaSeconds: null,
    currentFile: null,
  };
}
