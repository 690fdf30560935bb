/**
 * The host's view of the box, as the dashboard, `/healthz`, `/api/status` and `hearth status` show it.
 * Plain JSON, no secrets.
 */
export type ServiceState =
  /** start() is running */
  | "starting"
  /** started and health() says ok */
  | "ok"
  /** started and health() reports a problem, or it is restarting after a failure */
  | "degraded"
  /** start failed or it reported a fault; a restart is scheduled (see nextRestartAt) */
  | "failed"
  /** deliberately not running: turned off in config, or not part of this build */
  | "off"
  /** stopped by the host on shutdown */
  | "stopped";

export interface ServiceStatus {
  name: string;
  /** Shown as the card title on the dashboard. */
  title: string;
  state: ServiceState;
  reason?: string;
  fix?: string;
  /** ISO-8601 time the state last changed. */
  since: string;
  restarts: number;
  /** ISO-8601 time of the next restart attempt when failed. */
  nextRestartAt?: string;
  details?: Record<string, unknown>;
  /** Dashboard pages this service added ({title, path}). */
  pages: Array<{ title: string; path: string }>;
}

export interface HostStatus {
  version: string;
  hostname: string;
  pid: number;
  node: string;
  /** ISO-8601 */
  startedAt: string;
  uptimeSeconds: number;
  configFile: string | null;
  dataDir: string;
  process: { cpuSeconds: number; rssBytes: number };
  /** batchesWritten: catalog write batches since start (0 after an unchanged restart). */
  catalog: { sizeBytes: number; batchesWritten: number };
  disk: { path: string; freeBytes: number; totalBytes: number } | null;
  services: ServiceStatus[];
  /** Overall: ok when every service that is meant to run is ok. */
  overall: "ok" | "degraded" | "failed";
}

/** How the HTTP layer and the control socket read the host without importing it. */
export interface StatusSource {
  status(): Promise<HostStatus>;
  /** Calls `fn` whenever a service's status changes; returns an unsubscribe function. */
  onChange(fn: () => void): () => void;
}
