import { z } from "zod";
import type { BackupFailure } from "../backup-failure.js";
import type { RepositoryTarget } from "../destinations/repository-target.js";
import { classifyFailure } from "./classify-failure.js";
import {
  findEntry,
  lsNode,
  snapshotEntry,
  type FileWarning,
  type ResticNode,
  type ResticSnapshot,
  type ResticStatus,
  type ResticSummary,
} from "./restic-messages.js";
import { runRestic, type Niceness, type ResticCall, type ResticOutcome } from "./restic-process.js";

/** What to back up and what to leave out. */
export interface BackupSelection {
  sources: readonly string[];
  excludes?: readonly string[];
  excludeCaches?: boolean;
  excludeIfPresent?: readonly string[];
  tags?: readonly string[];
}

export interface BackupResult {
  summary: ResticSummary | undefined;
  /** Files that could not be read (restic exit 3): the snapshot exists without them. */
  warnings: FileWarning[];
  warningCount: number;
}

export interface Retention {
  last?: number | undefined;
  hourly?: number | undefined;
  daily?: number | undefined;
  weekly?: number | undefined;
  monthly?: number | undefined;
  yearly?: number | undefined;
}

/** A file or folder found by name across snapshots. */
export interface FoundFile {
  snapshot: string;
  path: string;
  type: string | undefined;
  size: number | undefined;
  mtime: string | undefined;
}

export interface RepositoryOptions {
  target: RepositoryTarget;
  password: string;
  cacheDir: string;
  nice?: Niceness;
  /** KiB/s cap for uploads (restic --limit-upload). */
  limitUploadKiBs?: number;
  resticPath?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * One restic repository and the commands hearth runs on it. Every method checks the
 * destination's guard first (the USB disk is mounted and is the right one), so no restic call,
 * `init` included, can write to the wrong place. Failures are thrown as BackupFailure.
 */
export class Repository {
  readonly target: RepositoryTarget;
  readonly #options: RepositoryOptions;

  constructor(options: RepositoryOptions) {
    this.target = options.target;
    this.#options = options;
  }

  /** Creates the repository. Callers decide when that is safe (see JobRunner). */
  async init(signal?: AbortSignal): Promise<void> {
    await this.#ok(["init"], { signal });
  }

  /** Removes stale locks only (dead PID on this host, or older than 30 min); never --remove-all. */
  async unlock(signal?: AbortSignal): Promise<void> {
    await this.#ok(["unlock"], { signal });
  }

  async backup(
    selection: BackupSelection,
    options: { signal?: AbortSignal; onStatus?: (s: ResticStatus) => void } = {},
  ): Promise<BackupResult> {
    const args = ["backup"];
    for (const pattern of selection.excludes ?? []) args.push("--exclude", pattern);
    if (selection.excludeCaches) args.push("--exclude-caches");
    for (const name of selection.excludeIfPresent ?? []) args.push("--exclude-if-present", name);
    for (const tag of selection.tags ?? []) args.push("--tag", tag);
    // "--" so a source named "-x" is a path, not an option.
    args.push("--", ...selection.sources);
    const outcome = await this.#ok(args, options);
    return {
      summary: outcome.summary,
      warnings: outcome.warnings,
      warningCount: outcome.warningCount,
    };
  }

  async forget(keep: Retention, signal?: AbortSignal): Promise<void> {
    const args = ["forget", "--prune"];
    for (const [rule, n] of Object.entries(keep)) {
      if (typeof n === "number" && n > 0) args.push(`--keep-${rule}`, String(n));
    }
    // Without a single keep rule restic refuses to forget (it would drop every snapshot).
    if (args.length === 2) return;
    await this.#ok(args, { signal });
  }

  /** Verifies the repository's structure, and reads back a share of the data when asked. */
  async check(readDataSubset?: string, signal?: AbortSignal): Promise<void> {
    const args = ["check"];
    if (readDataSubset) args.push(`--read-data-subset=${readDataSubset}`);
    await this.#ok(args, { signal });
  }

  async snapshots(signal?: AbortSignal): Promise<ResticSnapshot[]> {
    const outcome = await this.#ok(["snapshots"], { signal, keepStdout: true });
    const parsed = z.array(snapshotEntry).safeParse(JSON.parse(outcome.stdout || "[]"));
    if (!parsed.success)
      throw new Error(`restic snapshots answered unexpected JSON: ${parsed.error.message}`);
    return parsed.data.sort((a, b) => a.time.localeCompare(b.time));
  }

  /** The direct children of `path` in a snapshot (the whole top level for "/"). */
  async list(snapshot: string, path: string, signal?: AbortSignal): Promise<ResticNode[]> {
    const nodes: ResticNode[] = [];
    const dir = path.replace(/\/+$/, "") || "/";
    await this.#ok(["ls", snapshot, dir], {
      signal,
      onLine: (line) => {
        const node = lsNode.safeParse(parseJson(line));
        if (!node.success) return;
        // restic 0.14 lists `dir` itself too; a newer one may recurse: keep direct children only.
        const parent = node.data.path.slice(0, node.data.path.lastIndexOf("/")) || "/";
        if (parent === dir && node.data.path !== dir) nodes.push(node.data);
      },
    });
    return nodes;
  }

  /** Files and folders whose name matches a glob (restic find), newest snapshots first. */
  async find(pattern: string, signal?: AbortSignal): Promise<FoundFile[]> {
    const outcome = await this.#ok(["find", "--", pattern], { signal, keepStdout: true });
    const entries = z.array(findEntry).safeParse(JSON.parse(outcome.stdout.trim() || "[]"));
    if (!entries.success) return [];
    return entries.data.flatMap((entry) =>
      (entry.matches ?? []).map((m) => ({
        snapshot: entry.snapshot,
        path: m.path,
        type: m.type,
        size: m.size,
        mtime: m.mtime,
      })),
    );
  }

  /** Restores a snapshot (or only `include` inside it) below `to`. */
  async restore(
    snapshot: string,
    to: string,
    options: { include?: string; signal?: AbortSignal } = {},
  ): Promise<void> {
    const args = ["restore", snapshot, "--target", to];
    if (options.include) args.push("--include", options.include);
    await this.#ok(args, options.signal ? { signal: options.signal } : {});
  }

  /** Runs a command after the guard; throws the classified failure unless it worked. */
  async #ok(
    args: string[],
    extra: Partial<Pick<ResticCall, "signal" | "onStatus" | "keepStdout" | "onLine">>,
  ): Promise<ResticOutcome> {
    await this.target.guard?.();
    const o = this.#options;
    const limit = o.limitUploadKiBs ? ["--limit-upload", String(o.limitUploadKiBs)] : [];
    const outcome = await runRestic({
      args: [...limit, ...args],
      target: o.target,
      password: o.password,
      cacheDir: o.cacheDir,
      ...(o.nice ? { nice: o.nice } : {}),
      ...(o.resticPath ? { resticPath: o.resticPath } : {}),
      ...(o.env ? { env: o.env } : {}),
      ...extra,
    });
    let failure: BackupFailure | undefined = classifyFailure(outcome, o.target);
    if (failure?.kind === "unreachable" && o.target.diagnose) {
      const said = (await o.target.diagnose()).split("\n").filter((l) => l.trim() !== "");
      const better = classifyFailure(
        { ...outcome, stderrTail: [...said, ...outcome.stderrTail] },
        o.target,
      );
      if (better && said.length > 0) failure = better;
    }
    if (failure) throw failure;
    return outcome;
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined; // not a JSON line (restic prints none in --json mode, but be lenient)
  }
}
