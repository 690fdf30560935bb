import { randomUUID } from "node:crypto";
import type { Service, ServiceContext, ServiceHealth } from "../../services/host/service.js";
import { BackupFailure } from "./backup-failure.js";
import { prepareTarget } from "./restore/restore-target.js";
import { backupRoutes, type RestoreRequest, type RestoreTask } from "./backup-routes.js";
import { Backups, type JobView } from "./backups.js";
import type { BackupConfig } from "./config-schema.js";
import { Notifier } from "./notify/notifier.js";
import type { RunKind, RunTrigger } from "./runs/run-record.js";
import { BackupScheduler } from "./schedule/backup-scheduler.js";

/** Finished restores stay listed this long for the CLI and the dashboard to pick up. */
const RESTORE_KEEP_MS = 60 * 60_000;

/**
 * The backup service (catalog namespace `backup`): schedules each job's backup, retention and
 * verification, runs them through restic, keeps their history, and says loudly when one failed
 * or is overdue (health "failed", one log line with the fix, the notification hook).
 */
export class BackupService implements Service<BackupConfig> {
  readonly name = "backup";
  #ctx: ServiceContext<BackupConfig> | undefined;
  #backups: Backups | undefined;
  #scheduler: BackupScheduler | undefined;
  #runs = new Set<Promise<unknown>>();
  #abort: AbortController | undefined;
  #restores = new Map<string, RestoreTask>();
  /** Jobs already reported overdue, so the log and the hook hear it once. */
  #overdueReported = new Set<string>();
  #overdueTimer: NodeJS.Timeout | undefined;

  async start(ctx: ServiceContext<BackupConfig>): Promise<void> {
    this.#ctx = ctx;
    this.#abort = new AbortController();
    const backups = new Backups({
      config: ctx.config,
      catalog: ctx.catalog,
      dataDir: ctx.dataDir,
      log: ctx.log,
      ...(ctx.hostState ? { hostState: ctx.hostState } : {}),
    });
    this.#backups = backups;
    for (const record of await backups.open()) {
      ctx.log.warn(
        { job: record.job, kind: record.kind },
        `${record.kind} ${record.job} was interrupted by the last shutdown; it runs again at its next slot`,
      );
    }
    backupRoutes(ctx.http, {
      backups,
      start: (job, kind, options) => this.#start(job, kind, "manual", options.allowInit),
      startRestore: (request) => this.#startRestore(request),
      restore: (id) => this.#restores.get(id),
    });
    this.#scheduler = new BackupScheduler({
      jobs: ctx.config.jobs,
      store: backups.store,
      catchUpDelayMs: ctx.config.catchUpDelaySeconds * 1000,
      onDue: (job, kind, trigger) => {
        try {
          this.#start(job, kind, trigger, false);
        } catch (err) {
          // Already running (a slow backup met its next slot): skip this slot, say so.
          ctx.log.warn({ job, kind, err }, `${kind} ${job} skipped: ${(err as Error).message}`);
        }
      },
      log: ctx.log,
    });
    await this.#scheduler.start();
    this.#watchOverdue();
  }

  async stop(): Promise<void> {
    this.#scheduler?.stop();
    clearTimeout(this.#overdueTimer);
    // SIGINT to running restics: they remove their locks and exit; the runs are recorded interrupted.
    this.#abort?.abort();
    await Promise.allSettled([...this.#runs]);
    this.#scheduler = undefined;
    this.#backups = undefined;
  }

  health(): ServiceHealth {
    const views = this.#backups?.views() ?? [];
    const details = summaryFacts(views);
    if (views.length === 0) {
      return {
        state: "ok",
        reason: "no backup jobs yet",
        fix: "Add a job under backup.jobs in the config file (see etc/hearth.example.yaml).",
        details,
      };
    }
    const bad =
      views.find((v) => v.state === "failed" || v.state === "interrupted") ??
      views.find((v) => v.state === "overdue");
    if (bad) {
      const problem =
        bad.lastRun?.error ?? bad.lastRun?.destinations.map((d) => d.error).find(Boolean);
      const overdue = bad.state === "overdue";
      return {
        state: "failed",
        reason: overdue
          ? `backup ${bad.name} is overdue: last success ${bad.lastSuccessAt ?? "never"}`
          : `backup ${bad.name} failed: ${problem?.message ?? "see the Backups page"}`,
        fix: overdue
          ? `Check that hearth was running at its scheduled times (${bad.schedule}); run it now with: hearth backup run ${bad.name}`
          : (problem?.fix ?? `Run it again with: hearth backup run ${bad.name}`),
        details,
      };
    }
    const badCheck = views.find((v) => v.lastCheck?.outcome === "failed");
    if (badCheck?.lastCheck) {
      const problem =
        badCheck.lastCheck.error ??
        badCheck.lastCheck.destinations.map((d) => d.error).find(Boolean);
      return {
        state: "failed",
        reason: `verifying ${badCheck.name}'s repository failed: ${problem?.message ?? "see the Backups page"}`,
        fix: problem?.fix ?? `Run it again with: hearth backup check ${badCheck.name}`,
        details,
      };
    }
    const warned = views.find((v) => v.state === "warning");
    if (warned) {
      return {
        state: "degraded",
        reason: `backup ${warned.name} finished with warnings (unreadable files or a missing source)`,
        fix: "See the Backups page for the files it could not read.",
        details,
      };
    }
    return { state: "ok", details };
  }

  #start(job: string, kind: RunKind, trigger: RunTrigger, allowInit: boolean): void {
    const backups = this.#backups;
    if (!backups)
      throw new BackupFailure("failed", "the backup service is not running", "Start hearth.");
    if (backups.runner.isRunning(job)) {
      throw new BackupFailure("busy", `${job} is already running`, "Wait for it to finish.");
    }
    backups.job(job);
    const signal = this.#abort?.signal;
    const run = backups
      .run(job, kind, trigger, { allowInit, ...(signal ? { signal } : {}) })
      .catch((err: unknown) =>
        this.#ctx?.log.error({ err, job, kind }, `${kind} ${job} could not run`),
      )
      .finally(() => this.#runs.delete(run));
    this.#runs.add(run);
  }

  async #startRestore(request: RestoreRequest): Promise<RestoreTask> {
    const backups = this.#backups;
    if (!backups)
      throw new BackupFailure("failed", "the backup service is not running", "Start hearth.");
    // Refused before it starts, so the dashboard and the CLI hear it at once.
    await prepareTarget(request.to, { overwrite: request.overwrite });
    const task: RestoreTask = {
      id: randomUUID(),
      job: request.job,
      snapshot: request.snapshot,
      path: request.path ?? null,
      to: request.to,
      state: "running",
      startedAt: new Date().toISOString(),
      endedAt: null,
      error: null,
    };
    this.#restores.set(task.id, task);
    const signal = this.#abort?.signal;
    const run = backups
      .restore(request.job, request.snapshot, {
        to: request.to,
        destination: request.destination,
        overwrite: request.overwrite,
        ...(request.path ? { path: request.path } : {}),
        ...(signal ? { signal } : {}),
      })
      .then(
        () => (task.state = "done"),
        (err: unknown) => {
          task.state = "failed";
          task.error =
            err instanceof BackupFailure
              ? err.toJSON()
              : { kind: "failed", message: String(err), fix: "See hearth's log." };
          this.#ctx?.log.error(
            { job: task.job, err },
            `restore from ${task.job} failed: ${task.error.message}`,
          );
        },
      )
      .finally(() => {
        task.endedAt = new Date().toISOString();
        this.#runs.delete(run);
        setTimeout(() => this.#restores.delete(task.id), RESTORE_KEEP_MS).unref();
      });
    this.#runs.add(run);
    return task;
  }

  /** Checks for overdue jobs at each job's next slot (no polling loop), logging and notifying once. */
  #watchOverdue(): void {
    const ctx = this.#ctx;
    const backups = this.#backups;
    if (!ctx || !backups) return;
    const notifier = new Notifier(ctx.config.notify, ctx.log);
    for (const view of backups.views()) {
      if (view.state !== "overdue") {
        this.#overdueReported.delete(view.name);
        continue;
      }
      if (this.#overdueReported.has(view.name)) continue;
      this.#overdueReported.add(view.name);
      const message = `backup ${view.name} is overdue: its last success was ${view.lastSuccessAt ?? "never"} (schedule ${view.schedule})`;
      ctx.log.error({ job: view.name }, message);
      void notifier.send(view.name, "overdue", message);
    }
    const next = Math.min(
      ...backups.views().map((v) => (v.nextRunAt ? Date.parse(v.nextRunAt) : Infinity)),
    );
    if (!Number.isFinite(next)) return;
    // A minute after the next slot: by then a run has either started or been missed.
    const wait = Math.min(Math.max(next - Date.now() + 60_000, 1000), 2 ** 31 - 1);
    this.#overdueTimer = setTimeout(() => this.#watchOverdue(), wait);
    this.#overdueTimer.unref();
  }
}

/** The dashboard card's facts: one line per job. */
function summaryFacts(views: JobView[]): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const v of views) {
    if (v.progress) {
      facts[v.name] = `running ${v.progress.kind}, ${v.progress.percent} %`;
      continue;
    }
    const last = v.lastSuccessAt
      ? `last success ${v.lastSuccessAt.slice(0, 16).replace("T", " ")}`
      : "no backup yet";
    facts[v.name] = `${v.state}, ${last}`;
  }
  return facts;
}
