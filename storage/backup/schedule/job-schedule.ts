import { Cron } from "croner";
import type { BackupJobConfig } from "../config-schema.js";
import type { RunKind } from "../runs/run-record.js";

/** The cron pattern of each scheduled task of a job: backup, forget --prune, check. */
export function jobTasks(job: BackupJobConfig): Array<{ kind: RunKind; pattern: string }> {
  const tasks: Array<{ kind: RunKind; pattern: string }> = [
    { kind: "backup", pattern: job.schedule },
  ];
  tasks.push({ kind: "forget", pattern: job.forgetSchedule });
  tasks.push({ kind: "check", pattern: job.check.schedule });
  return tasks;
}

/** A croner pattern object that never fires by itself: for date arithmetic only. */
export function patternOnly(pattern: string): Cron {
  return new Cron(pattern, { paused: true });
}

/** The next slot strictly after `after`, or undefined for a pattern that never fires again. */
export function nextSlot(pattern: string, after: Date): Date | undefined {
  return patternOnly(pattern).nextRun(after) ?? undefined;
}

/** The newest slot at or before `now`. */
export function previousSlot(pattern: string, now: Date): Date | undefined {
  return patternOnly(pattern).previousRuns(1, now)[0];
}

/**
 * Overdue: two slots have passed since the last success (or since hearth first saw the job),
 * so one failed night is "failed", a job that has silently not run is "overdue". Scale-free:
 * the same rule serves an hourly and a monthly job.
 */
export function isOverdue(pattern: string, since: Date, now: Date): boolean {
  const first = nextSlot(pattern, since);
  const second = first && nextSlot(pattern, first);
  return second !== undefined && second.getTime() < now.getTime();
}
