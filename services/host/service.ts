import type { Logger } from "pino";
import type { CatalogNamespace } from "../../storage/catalog/catalog-namespace.js";
import type { RouteRegistrar } from "../http/route-registrar.js";
import type { EventBus } from "./event-bus.js";

/**
 * What a role service reports about itself. `health()` must be cheap, synchronous and do no I/O:
 * the dashboard, `/healthz` and `hearth status` call it often.
 */
export interface ServiceHealth {
  /** ok: doing its job; degraded: working with a problem the user should know about; failed: not working. */
  state: "ok" | "degraded" | "failed";
  /** One sentence on what is wrong (absent when ok). */
  reason?: string;
  /** One sentence on what the user can do about it. */
  fix?: string;
  /** Small, JSON-safe facts for the dashboard (counts, addresses). No secrets. */
  details?: Record<string, unknown>;
}

/**
 * Everything the host hands a service when it starts it. A service receives exactly these and
 * reaches nothing else of the host: no global settings, no other service's catalog namespace.
 */
export interface ServiceContext<TConfig = unknown> {
  /** Its own config slice, already validated by its schema and with defaults filled in. */
  readonly config: TConfig;
  /** Child logger tagged `{ svc: name }`. */
  readonly log: Logger;
  /** Its own catalog namespace; keys are private to the service. */
  readonly catalog: CatalogNamespace;
  /** Typed events shared by all services; listeners are owned by this service and removed on stop. */
  readonly bus: EventBus;
  /** Routes under /api/<name>/ (behind the login) and /<name>/ (open, for DLNA clients). */
  readonly http: RouteRegistrar;
  /** A folder of its own under the data dir, created before start: <data>/<name>/. */
  readonly dataDir: string;
  /** Aborted when the host stops or restarts this service. */
  readonly signal: AbortSignal;
  /** Report a fault after start. The host stops the service and restarts it with backoff. */
  fail(err: Error): void;
  /**
   * hearth's own state, for the backup service's built-in job: the config file it was started
   * with (null on the embedded default) and a consistent copy of the whole catalog. Other services
   * have no use for it.
   */
  readonly hostState?: HostState;
}

/** See {@link ServiceContext.hostState}. */
export interface HostState {
  readonly configFile: string | null;
  /** Writes a consistent copy of the whole catalog as a new database in `dir` (must not exist). */
  copyCatalog(dir: string): Promise<number>;
}

/**
 * A role service. Construction does nothing; `start` opens sockets and files; `stop` releases them.
 * The host may call start → stop → start on the same object when it restarts a failed service.
 */
export interface Service<TConfig = unknown> {
  readonly name: string;
  /** Resolves when serving. A rejection marks the service failed and schedules a restart. */
  start(ctx: ServiceContext<TConfig>): Promise<void>;
  /** Releases everything the last start took. Honour `signal`: when it aborts, give up quickly. */
  stop(signal: AbortSignal): Promise<void>;
  /** Cheap, synchronous, no I/O. Called only between a successful start and the next stop. */
  health(): ServiceHealth;
}
