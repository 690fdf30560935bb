import { join, resolve } from "node:path";
import pino from "pino";
import { Catalog } from "../../storage/catalog/index.js";
import {
  BackupFailure,
  Backups,
  describeRun,
  type JobView,
  type RestoreTask,
  type RunKind,
  type RunRecord,
} from "../../storage/backup/index.js";
import { ConfigError, loadConfig, resolveDataDir, type HearthConfig } from "../config/index.js";
import { controlRequest } from "../control/control-client.js";
import { clientSocketPaths } from "../control/socket-path.js";
import { describeError, HearthError } from "../errors.js";
import { EXIT } from "../host/shutdown.js";
import { errorText, fail } from "./cli-output.js";
import { formatBytes, progressBar } from "./backup-format.js";

/** Options every `hearth backup` subcommand takes. */
export interface BackupCliOptions {
  json?: boolean;
  config?: string;
  data?: string;
  socket?: string;
}

/** Exit code for a run that wrote its snapshot but could not read some files (as restic's 3). */
const EXIT_WARNING = 3;

/**
 * Where `hearth backup` does its work: through the running daemon (same scheduler, same locks,
 * the dashboard sees the run) or, when none runs, in this process on the same config, catalog
 * and lock files (a fresh box, a script, a rescue shell).
 */
type Engine =
  | { kind: "daemon"; sockets: string[] }
  | { kind: "foreground"; backups: Backups; close(): Promise<void> };

async function engine(opts: BackupCliOptions): Promise<Engine> {
  const { config, file } = loadConfig({ path: opts.config, env: process.env });
  const dataDir = resolveDataDir({ cliData: opts.data, config, env: process.env });
  const sockets = clientSocketPaths({ flag: opts.socket, dataDir });
  try {
    const answer = await controlRequest(sockets, "GET", "/api/backup/jobs");
    if (answer.statusCode === 200) return { kind: "daemon", sockets };
    throw new HearthError(
      "E_NOT_RUNNING",
      `hearth's backup service is not running (${answer.statusCode}: ${errorText(answer.body)})`,
      {
        fix: "See `hearth status` for why; it restarts failed services by itself.",
      },
    );
  } catch (err) {
    if (!(err instanceof HearthError) || err.code !== "E_NOT_RUNNING" || opts.socket) throw err;
    if (/backup service is not running/.test(err.message)) throw err;
  }
  return foreground(config, dataDir, file);
}

async function foreground(
  config: HearthConfig,
  dataDir: string,
  configFile: string | null,
): Promise<Engine> {
  const log = pino({ level: "warn", base: undefined }, pino.destination(2));
  let catalog: Catalog;
  try {
    catalog = await Catalog.open({ dir: join(dataDir, "catalog") });
  } catch (err) {
    throw new HearthError(
      "E_CATALOG",
      `cannot open hearth's catalog in ${dataDir}: ${describeError(err)}`,
      {
        cause: err,
        fix: "If a hearth daemon runs with this data dir, run the command as a user that can reach its control socket (or pass --socket).",
      },
    );
  }
  const backups = new Backups({
    config: config.backup,
    catalog: catalog.namespace("backup"),
    dataDir: join(dataDir, "backup"),
    log,
    hostState: { configFile, copyCatalog: (dir) => catalog.copyTo(dir) },
  });
  await backups.open();
  return { kind: "foreground", backups, close: () => catalog.close() };
}

/** Runs `work` with an engine and turns failures into a message and exit code 1. */
async function withEngine(
  opts: BackupCliOptions,
  work: (e: Engine) => Promise<number>,
): Promise<number> {
  let e: Engine | undefined;
  try {
    e = await engine(opts);
    return await work(e);
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.format());
    const fix = err instanceof HearthError || err instanceof BackupFailure ? err.fix : undefined;
    return fail(`${describeError(err)}${fix ? `\n${fix}` : ""}`);
  } finally {
    if (e?.kind === "foreground") await e.close();
  }
}

async function daemonJson<T>(
  sockets: string[],
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const answer = await controlRequest(sockets, method, path, body);
  if (answer.statusCode >= 200 && answer.statusCode < 300) return JSON.parse(answer.body) as T;
  let parsed: { error?: string; kind?: BackupFailure["kind"]; fix?: string } = {};
  try {
    parsed = JSON.parse(answer.body) as typeof parsed;
  } catch {
    parsed = { error: answer.body }; // not JSON: show as it came
  }
  throw new BackupFailure(
    parsed.kind ?? "failed",
    parsed.error ?? `hearth answered ${answer.statusCode}`,
    parsed.fix ?? "",
  );
}

const enc = encodeURIComponent;

/** `hearth backup list` and `hearth backup status`: every job, its state, last and next run. */
export function backupStatusCommand(opts: BackupCliOptions): Promise<number> {
  return withEngine(opts, async (e) => {
    const jobs =
      e.kind === "daemon"
        ? (await daemonJson<{ jobs: JobView[] }>(e.sockets, "GET", "/api/backup/jobs")).jobs
        : e.backups.views();
    if (opts.json) {
      out(JSON.stringify({ jobs }, null, 2));
    } else if (jobs.length === 0) {
      out(
        "no backup jobs: add one under backup.jobs in the config file (see etc/hearth.example.yaml)",
      );
    } else {
      for (const job of jobs) out(formatJob(job));
    }
    return jobs.some(
      (j) => j.state === "failed" || j.state === "overdue" || j.state === "interrupted",
    )
      ? EXIT.failure
      : EXIT.ok;
  });
}

/** `hearth backup run <job>` and `hearth backup check <job>`: runs it and waits, with a bar on a TTY. */
export function backupRunCommand(
  job: string,
  kind: RunKind,
  opts: BackupCliOptions & { wait?: boolean; init?: boolean },
): Promise<number> {
  return withEngine(opts, async (e) => {
    let record: RunRecord;
    if (e.kind === "foreground") {
      const timer = setInterval(
        () =>
          drawProgress(
            e.backups.views().find((v) => v.name === job),
            opts,
          ),
        500,
      );
      try {
        record = await e.backups.run(job, kind, "manual", { allowInit: opts.init === true });
      } finally {
        clearInterval(timer);
      }
    } else {
      const askedAt = Date.now();
      await daemonJson(e.sockets, "POST", `/api/backup/jobs/${enc(job)}/run`, {
        kind,
        init: opts.init === true,
      });
      if (opts.wait === false) {
        out(
          opts.json
            ? JSON.stringify({ started: true, job, kind })
            : `${kind} ${job} started; follow it with: hearth backup status`,
        );
        return EXIT.ok;
      }
      record = await followRun(e.sockets, job, kind, askedAt, opts);
    }
    if (process.stderr.isTTY && !opts.json) process.stderr.write("\n");
    out(opts.json ? JSON.stringify(record, null, 2) : describeRecord(record));
    return record.outcome === "ok"
      ? EXIT.ok
      : record.outcome === "warning"
        ? EXIT_WARNING
        : EXIT.failure;
  });
}

async function followRun(
  sockets: string[],
  job: string,
  kind: RunKind,
  askedAt: number,
  opts: BackupCliOptions,
): Promise<RunRecord> {
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const answer = await daemonJson<{ job: JobView; runs: Record<RunKind, RunRecord[]> }>(
      sockets,
      "GET",
      `/api/backup/jobs/${enc(job)}`,
    );
    const latest = answer.runs[kind][0];
    if (answer.job.progress?.kind === kind) drawProgress(answer.job, opts);
    // A run that ended after we asked (a second's slack for clock rounding) is ours.
    if (!answer.job.progress && latest && Date.parse(latest.startedAt) >= askedAt - 1000)
      return latest;
  }
}

/** `hearth backup snapshots <job>`. */
export function backupSnapshotsCommand(
  job: string,
  opts: BackupCliOptions & { destination?: number },
): Promise<number> {
  return withEngine(opts, async (e) => {
    const snapshots =
      e.kind === "daemon"
        ? (
            await daemonJson<{
              snapshots: Array<{
                id: string;
                short_id?: string;
                time: string;
                paths: string[];
                hostname?: string;
              }>;
            }>(
              e.sockets,
              "GET",
              `/api/backup/jobs/${enc(job)}/snapshots?destination=${opts.destination ?? 0}`,
            )
          ).snapshots
        : (await e.backups.snapshots(job, opts.destination ?? 0)).reverse();
    if (opts.json) out(JSON.stringify({ snapshots }, null, 2));
    else if (snapshots.length === 0) out(`no snapshots of ${job} yet`);
    else
      for (const s of snapshots)
        out(
          `${(s.short_id ?? s.id.slice(0, 8)).padEnd(10)} ${s.time.slice(0, 19).replace("T", " ")}  ${s.hostname ?? ""}  ${s.paths.join(" ")}`,
        );
    return EXIT.ok;
  });
}

/** `hearth backup find <job> <pattern>`: a file by name across snapshots. */
export function backupFindCommand(
  job: string,
  pattern: string,
  opts: BackupCliOptions & { destination?: number },
): Promise<number> {
  return withEngine(opts, async (e) => {
    const matches =
      e.kind === "daemon"
        ? (
            await daemonJson<{
              matches: Array<{ snapshot: string; path: string; size?: number; mtime?: string }>;
            }>(
              e.sockets,
              "GET",
              `/api/backup/jobs/${enc(job)}/find?name=${enc(pattern)}&destination=${opts.destination ?? 0}`,
            )
          ).matches
        : await e.backups.find(job, pattern, opts.destination ?? 0);
    if (opts.json) out(JSON.stringify({ matches }, null, 2));
    else if (matches.length === 0) out(`nothing named ${pattern} in ${job}'s snapshots`);
    else
      for (const m of matches)
        out(
          `${m.snapshot.slice(0, 8)}  ${(m.mtime ?? "").slice(0, 19).replace("T", " ")}  ${m.size === undefined ? "" : formatBytes(m.size).padStart(10)}  ${m.path}`,
        );
    return matches.length === 0 ? EXIT.failure : EXIT.ok;
  });
}

/** `hearth backup restore <job> <snapshot> [path] --to <dir>`. */
export function backupRestoreCommand(
  job: string,
  snapshot: string,
  path: string | undefined,
  opts: BackupCliOptions & { to: string; destination?: number; overwrite?: boolean },
): Promise<number> {
  return withEngine(opts, async (e) => {
    const to = resolve(opts.to);
    const request = {
      snapshot,
      to,
      destination: opts.destination ?? 0,
      overwrite: opts.overwrite === true,
      ...(path ? { path } : {}),
    };
    if (e.kind === "foreground") {
      await e.backups.restore(job, snapshot, { ...request, ...(path ? { path } : {}) });
    } else {
      let task = await daemonJson<RestoreTask>(
        e.sockets,
        "POST",
        `/api/backup/jobs/${enc(job)}/restore`,
        request,
      );
      while (task.state === "running") {
        await new Promise((r) => setTimeout(r, 500));
        task = await daemonJson<RestoreTask>(
          e.sockets,
          "GET",
          `/api/backup/restores/${enc(task.id)}`,
        );
      }
      if (task.state === "failed" && task.error)
        throw new BackupFailure(
          task.error.kind as BackupFailure["kind"],
          task.error.message,
          task.error.fix,
        );
    }
    out(
      opts.json
        ? JSON.stringify({ restored: true, job, snapshot, path: path ?? null, to })
        : `restored ${path ?? "everything"} from ${job} ${snapshot} into ${to}`,
    );
    return EXIT.ok;
  });
}

function drawProgress(view: JobView | undefined, opts: BackupCliOptions): void {
  if (!view?.progress || opts.json || !process.stderr.isTTY) return;
  process.stderr.write(`\r${progressBar(view.progress, process.stderr.columns ?? 100)}`);
}

function formatJob(job: JobView): string {
  const last = job.lastRun
    ? `${job.lastRun.outcome} at ${job.lastRun.endedAt.slice(0, 16).replace("T", " ")}`
    : "never ran";
  const lines = [
    `${job.name}: ${job.state.toUpperCase()}  last: ${last}  next: ${job.nextRunAt?.slice(0, 16).replace("T", " ") ?? "-"}  (${job.schedule})`,
  ];
  for (const d of job.destinations) lines.push(`  → ${d.type} ${d.label}`);
  if (job.progress) lines.push(`  ${progressBar(job.progress, 100)}`);
  const problem = job.lastRun?.error ?? job.lastRun?.destinations.map((d) => d.error).find(Boolean);
  if (problem && job.state === "failed")
    lines.push(`  problem: ${problem.message}`, `  fix: ${problem.fix}`);
  return lines.join("\n");
}

function describeRecord(record: RunRecord): string {
  const lines = [describeRun(record)];
  for (const d of record.destinations) {
    const s = d.summary;
    const facts = s
      ? `snapshot ${s.snapshotId}: ${s.filesNew} new, ${s.filesChanged} changed, ${s.filesUnmodified} unchanged files, ${formatBytes(s.bytesAdded)} added in ${s.seconds} s`
      : (d.error?.message ?? d.outcome);
    lines.push(`  ${d.label}: ${facts}`);
    for (const w of d.warnings ?? []) lines.push(`    unreadable: ${w.path} (${w.reason})`);
    if (d.error) lines.push(`    fix: ${d.error.fix}`);
  }
  return lines.join("\n");
}

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}
