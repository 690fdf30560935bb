import { Cron } from "croner";
import type { Logger } from "pino";
import type { BackupJobConfig } from "../config-schema.js";
import type { BackupStore } from "../runs/backup-store.js";
import type { RunKind, RunTrigger } from "../runs/run-record.js";
import { jobTasks, previousSlot } from "./job-schedule.js";

export interface SchedulerOptions {
  jobs: Record<string, BackupJobConfig>;
  store: BackupStore;
  /** Runs missed while the box was off start this long after start. */
  catchUpDelayMs: number;
  /** Starts a run; the scheduler does not wait for it. */
  onDue(job: string, kind: RunKind, trigger: RunTrigger): void;
  log: Logger;
  now?: () => Date;
}

/**
 * Fires each job's backup, forget and check at their cron times (croner, local time), and
 * catches up on slots missed while the box was off: each task remembers the last slot it took
 * (`slot/<job>/<kind>`), and a slot newer than that at start means a missed run. A job hearth
 * has never seen starts counting from now (its first run is at its next slot, or on demand).
 */
export class BackupScheduler {
  readonly #o: SchedulerOptions;
  readonly #crons: Cron[] = [];
  readonly #timers: NodeJS.Timeout[] = [];

  constructor(options: SchedulerOptions) {
    this.#o = options;
  }

  async start(): Promise<void> {
    const { jobs, store, log } = this.#o;
    const now = this.#now();
    for (const [job, config] of Object.entries(jobs)) {
      for (const { kind, pattern } of jobTasks(config)) {
        const taken = await store.slot(job, kind);
        const missed = previousSlot(pattern, now);
        if (taken === undefined) {
          await store.setSlot(job, kind, now.toISOString());
        } else if (missed && missed.getTime() > Date.parse(taken)) {
          log.info(
            { job, kind, missed: missed.toISOString() },
            `${kind} ${job} was missed while hearth was off; running it shortly`,
          );
          const timer = setTimeout(
            () => void this.#fire(job, kind, "catch-up", missed),
            this.#o.catchUpDelayMs,
          );
          timer.unref();
          this.#timers.push(timer);
        }
        this.#crons.push(
          new Cron(
            pattern,
            { protect: true },
            () => void this.#fire(job, kind, "schedule", this.#now()),
          ),
        );
      }
    }
  }

  stop(): void {
    for (const cron of this.#crons) cron.stop();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#crons.length = 0;
    this.#timers.length = 0;
  }

  /** The next time a job's task fires. */
  nextRun(job: string, kind: RunKind = "backup"): Date | undefined {
    const index = this.#indexOf(job, kind);
    return index === undefined ? undefined : (this.#crons[index]?.nextRun() ?? undefined);
  }

  #indexOf(job: string, kind: RunKind): number | undefined {
    let index = 0;
    for (const [name, config] of Object.entries(this.#o.jobs)) {
      for (const task of jobTasks(config)) {
        if (name === job && task.kind === kind) return index;
        index += 1;
      }
    }
    return undefined;
  }

  async #fire(job: string, kind: RunKind, trigger: RunTrigger, slot: Date): Promise<void> {
    try {
      await this.#o.store.setSlot(job, kind, slot.toISOString());
    } catch (err) {
      this.#o.log.warn({ err, job, kind }, "could not record the schedule slot");
    }
    this.#o.onDue(job, kind, trigger);
  }

  #now(): Date {
    return this.#o.now?.() ?? new Date();
  }
}
