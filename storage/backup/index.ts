// The backup service's public face: the host starts BackupService; the CLI uses Backups directly
// when no daemon runs.
export { BackupService } from "./backup-service.js";
export { Backups, type JobView } from "./backups.js";
export { BackupFailure, type FailureKind } from "./backup-failure.js";
export type { RestoreTask } from "./backup-routes.js";
export type { RunRecord, RunProgress, RunKind } from "./runs/run-record.js";
export { describeRun } from "./runs/job-runner.js";
export { formatBytes } from "./format-bytes.js";
