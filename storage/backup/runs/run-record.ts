import type { FailureKind } from "../backup-failure.js";
import type { FileWarning } from "../restic/restic-messages.js";

/** ok: done; warning: snapshot written but some files unreadable or a source missing; failed. */
export type RunOutcome = "ok" | "warning" | "failed" | "interrupted";
/** What a run did: back up, verify (`check`), or apply retention (`forget --prune`). */
export type RunKind = "backup" | "check" | "forget";
export type RunTrigger = "schedule" | "catch-up" | "manual";

export interface RunError {
  kind: FailureKind;
  message: string;
  fix: string;
}

/** restic's summary line, in the names the dashboard and CLI use. */
export interface BackupSummary {
  snapshotId: string;
  filesNew: number;
  filesChanged: number;
  filesUnmodified: number;
  bytesAdded: number;
  totalFiles: number;
  totalBytes: number;
  seconds: number;
}

export interface DestinationResult {
  id: string;
  label: string;
  outcome: RunOutcome;
  summary?: BackupSummary;
  warnings?: FileWarning[];
  warningCount?: number;
  error?: RunError;
}

/** One run of a job, as kept in the catalog (`backup` / `run/<job>/<startedAt>`). */
export interface RunRecord {
  job: string;
  kind: RunKind;
  trigger: RunTrigger;
  startedAt: string;
  endedAt: string;
  outcome: RunOutcome;
  destinations: DestinationResult[];
  /** A failure before any destination was tried (pre hook, secrets). */
  error?: RunError;
}

/** Live progress of a running backup, for the status, the dashboard and the CLI's bar. */
export interface RunProgress {
  job: string;
  kind: RunKind;
  startedAt: string;
  destination: string;
  percent: number;
  bytesDone: number;
  totalBytes: number;
  filesDone: number;
  totalFiles: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
  currentFile: string | null;
}

/** The worst of several outcomes: failed > interrupted > warning > ok. */
export function worstOutcome(outcomes: readonly RunOutcome[]): RunOutcome {
  for (const o of ["failed", "interrupted", "warning"] as const) if (outcomes.includes(o)) return o;
  return "ok";
}
