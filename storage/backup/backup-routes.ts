import type { FastifyReply } from "fastify";
import { readFile } from "node:fs/promises";
import { isAbsolute } from "node:path";
import type { RouteRegistrar } from "../../services/http/route-registrar.js";
import { BackupFailure } from "./backup-failure.js";
import { backupPage } from "./backup-page.js";
import type { Backups } from "./backups.js";

const pageScript = new URL("./assets/backup-page.js", import.meta.url);
import type { RunKind } from "./runs/run-record.js";

/** A restore started from the dashboard or the CLI; they poll it. */
export interface RestoreTask {
  id: string;
  job: string;
  snapshot: string;
  path: string | null;
  to: string;
  state: "running" | "done" | "failed";
  startedAt: string;
  endedAt: string | null;
  error: { kind: string; message: string; fix: string } | null;
}

/** A restore as the dashboard or the CLI asks for it. */
export interface RestoreRequest {
  job: string;
  snapshot: string;
  path?: string;
  to: string;
  destination: number;
  overwrite: boolean;
}

/** What the routes need from the service besides the engine. */
export interface BackupRouteTarget {
  backups: Backups;
  /** Starts a run in the background; BackupFailure "busy" when the job is already running. */
  start(job: string, kind: RunKind, options: { allowInit: boolean }): void;
  startRestore(request: RestoreRequest): Promise<RestoreTask>;
  restore(id: string): RestoreTask | undefined;
}

const KINDS: readonly RunKind[] = ["backup", "check", "forget"];

/** HTTP status per failure kind; anything restic reported is a 502 (the repository side failed). */
const STATUS: Partial<Record<BackupFailure["kind"], number>> = {
  "not-found": 404,
  "target-not-empty": 409,
  "bad-request": 422,
  busy: 409,
};

/**
 * The backup service's JSON API, behind the dashboard login and reached by `hearth backup`
 * through the control socket:
 * - GET  /api/backup/jobs → { jobs: JobView[] }
 * - GET  /api/backup/jobs/:job → { job: JobView, runs: { backup, check, forget } }
 * - POST /api/backup/jobs/:job/run { kind?: backup|check|forget, init?: bool } → 202
 * - GET  /api/backup/jobs/:job/snapshots?destination=0 → { snapshots }
 * - GET  /api/backup/jobs/:job/snapshots/:snapshot/tree?path=/&destination=0 → { path, entries }
 * - GET  /api/backup/jobs/:job/find?name=*.odt&destination=0 → { matches }
 * - POST /api/backup/jobs/:job/restore { snapshot, to, path?, destination?, overwrite? } → 202 RestoreTask
 * - GET  /api/backup/restores/:id → RestoreTask
 * - GET  /api/backup/page (+ backup-page.js) → the dashboard's Backups page
 * Failures answer { error, kind, fix }: 404 unknown job, 409 busy, 422 bad request, 502 restic failed.
 */
export function backupRoutes(http: RouteRegistrar, target: BackupRouteTarget): void {
  const { backups } = target;
  http.route("GET", "/jobs", (_request, reply) => reply.send({ jobs: backups.views() }));

  http.route("GET", "/jobs/:job", async (request, reply) =>
    answer(reply, async () => {
      const { job } = request.params as { job: string };
      const view = findView(backups, job);
      const [backup, check, forget] = await Promise.all(KINDS.map((k) => backups.history(job, k)));
      return { job: view, runs: { backup, check, forget } };
    }),
  );

  http.route("POST", "/jobs/:job/run", (request, reply) =>
    answer(
      reply,
      () => {
        const { job } = request.params as { job: string };
        const body = (request.body ?? {}) as { kind?: unknown; init?: unknown };
        const kind = body.kind ?? "backup";
        if (!KINDS.includes(kind as RunKind))
          throw badRequest(`kind must be one of ${KINDS.join(", ")}`);
        findView(backups, job);
        target.start(job, kind as RunKind, { allowInit: body.init === true });
        return Promise.resolve({ started: true, job, kind });
      },
      202,
    ),
  );

  http.route("GET", "/jobs/:job/snapshots", (request, reply) =>
    answer(reply, async () => {
      const { job } = request.params as { job: string };
      const snapshots = await backups.snapshots(job, destinationOf(request.query));
      return { snapshots: snapshots.reverse() };
    }),
  );

  http.route("GET", "/jobs/:job/snapshots/:snapshot/tree", (request, reply) =>
    answer(reply, async () => {
      const { job, snapshot } = request.params as { job: string; snapshot: string };
      const query = request.query as { path?: string };
      const path = query.path ?? "/";
      if (!path.startsWith("/")) throw badRequest("path must start with /");
      checkSnapshotId(snapshot);
      const entries = await backups.list(job, snapshot, path, destinationOf(request.query));
      return { path, entries };
    }),
  );

  http.route("GET", "/jobs/:job/find", (request, reply) =>
    answer(reply, async () => {
      const { job } = request.params as { job: string };
      const name = (request.query as { name?: string }).name;
      if (!name) throw badRequest("give a name to look for, like ?name=report*.odt");
      return { matches: await backups.find(job, name, destinationOf(request.query)) };
    }),
  );

  http.route("POST", "/jobs/:job/restore", (request, reply) =>
    answer(
      reply,
      () => {
        const { job } = request.params as { job: string };
        findView(backups, job);
        const body = (request.body ?? {}) as Record<string, unknown>;
        const { snapshot, to, path } = body;
        if (typeof snapshot !== "string")
          throw badRequest('send {"snapshot": "<id or latest>", "to": "/abs/folder"}');
        checkSnapshotId(snapshot);
        if (typeof to !== "string" || !isAbsolute(to))
          throw badRequest("to must be an absolute folder path");
        if (path !== undefined && (typeof path !== "string" || !path.startsWith("/")))
          throw badRequest("path must start with /");
        return target.startRestore({
          job,
          snapshot,
          to,
          destination: destinationOf(body),
          overwrite: body.overwrite === true,
          ...(typeof path === "string" ? { path } : {}),
        });
      },
      202,
    ),
  );

  http.route("GET", "/page", (_request, reply) =>
    reply.type("text/html; charset=utf-8").send(backupPage(backups.views(), backups.restoreRoot)),
  );
  http.route("GET", "/backup-page.js", async (_request, reply) =>
    reply.type("text/javascript; charset=utf-8").send(await readFile(pageScript, "utf8")),
  );
  http.page({ title: "Backups", path: "page" });

  http.route("GET", "/restores/:id", (request, reply) => {
    const task = target.restore((request.params as { id: string }).id);
    return task ? reply.send(task) : reply.code(404).send({ error: "no such restore" });
  });
}

function findView(backups: Backups, job: string) {
  const view = backups.views().find((v) => v.name === job);
  if (!view) backups.job(job); // throws the "no such job" failure with the list of jobs
  return view;
}

function destinationOf(source: unknown): number {
  const raw = (source as { destination?: unknown } | undefined)?.destination;
  if (raw === undefined) return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest("destination must be a number from 0");
  return n;
}

/** restic accepts ids (hex, 8+ characters) and "latest"; nothing else reaches its command line. */
function checkSnapshotId(id: string): void {
  if (id !== "latest" && !/^[0-9a-f]{8,64}$/.test(id))
    throw badRequest(`"${id}" is not a snapshot id`);
}

function badRequest(message: string): BackupFailure {
  return new BackupFailure("bad-request", message, "Fix the request and send it again.");
}

async function answer(
  reply: FastifyReply,
  work: () => Promise<unknown>,
  status = 200,
): Promise<FastifyReply> {
  try {
    return reply.code(status).send(await work());
  } catch (err) {
    if (!(err instanceof BackupFailure)) throw err;
    const code = STATUS[err.kind] ?? 502;
    return reply.code(code).send({ error: err.message, kind: err.kind, fix: err.fix });
  }
}
