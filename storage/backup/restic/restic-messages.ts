import { z } from "zod";

/**
 * The JSON restic 0.14 prints with `--json` (shapes observed on Debian 12, see
 * shared/notes/backups.md). Parsed loosely: unknown fields pass, absent optional ones are fine,
 * so a newer restic that adds fields keeps working.
 */

/** `backup` progress, many per second (throttled by RESTIC_PROGRESS_FPS). */
export const statusMessage = z.looseObject({
  message_type: z.literal("status"),
  percent_done: z.number().optional(),
  total_files: z.number().optional(),
  files_done: z.number().optional(),
  total_bytes: z.number().optional(),
  bytes_done: z.number().optional(),
  seconds_elapsed: z.number().optional(),
  seconds_remaining: z.number().optional(),
  current_files: z.array(z.string()).optional(),
});
export type ResticStatus = z.output<typeof statusMessage>;

/** Exactly one at the end of a `backup` that wrote a snapshot. */
export const summaryMessage = z.looseObject({
  message_type: z.literal("summary"),
  files_new: z.number(),
  files_changed: z.number(),
  files_unmodified: z.number(),
  dirs_new: z.number().optional(),
  dirs_changed: z.number().optional(),
  dirs_unmodified: z.number().optional(),
  data_added: z.number(),
  total_files_processed: z.number(),
  total_bytes_processed: z.number(),
  total_duration: z.number(),
  snapshot_id: z.string(),
});
export type ResticSummary = z.output<typeof summaryMessage>;

/** A file restic could not read; on stderr. `Err` is a raw errno. */
export const errorMessage = z.looseObject({
  message_type: z.literal("error"),
  error: z.looseObject({ Op: z.string().optional(), Path: z.string().optional() }).optional(),
  during: z.string().optional(),
  item: z.string().optional(),
});

/** `restore --json` progress (restic ≥ 0.15 only; 0.14 prints nothing). */
export const restoreStatusMessage = z.looseObject({
  message_type: z.literal("status"),
  percent_done: z.number().optional(),
  total_bytes: z.number().optional(),
  bytes_restored: z.number().optional(),
});

/** One entry of `restic snapshots --json`. */
export const snapshotEntry = z.looseObject({
  id: z.string(),
  short_id: z.string().optional(),
  time: z.string(),
  paths: z.array(z.string()).default([]),
  hostname: z.string().optional(),
  tags: z.array(z.string()).nullish(),
});
export type ResticSnapshot = z.output<typeof snapshotEntry>;

/** One node line of `restic ls --json` (the first line describes the snapshot). */
export const lsNode = z.looseObject({
  struct_type: z.literal("node"),
  name: z.string(),
  type: z.string(),
  path: z.string(),
  size: z.number().optional(),
  mtime: z.string().optional(),
  mode: z.number().optional(),
});
export type ResticNode = z.output<typeof lsNode>;

/** One element of `restic find --json`: the matches within one snapshot. */
export const findEntry = z.looseObject({
  snapshot: z.string(),
  matches: z
    .array(
      z.looseObject({
        path: z.string(),
        type: z.string().optional(),
        size: z.number().optional(),
        mtime: z.string().optional(),
      }),
    )
    .nullish(),
});

/** A file that could not be read during a backup: the run still wrote a snapshot. */
export interface FileWarning {
  path: string;
  /** "scan" or "archival". */
  during: string;
  /** What failed, e.g. "lstat: no such file or directory". */
  reason: string;
}

/**
 * Reads a per-file error line (or a "does not exist, skipping" source) from restic's stderr into
 * a warning, or undefined for other text.
 */
export function fileWarning(line: string): FileWarning | undefined {
  // A missing source folder is skipped with exit 0 and only this line: the household must hear
  // that ~/Documents was renamed and is no longer backed up.
  const skipped = /^(\/.*) does not exist, skipping$/.exec(line);
  if (skipped?.[1]) {
    return { path: skipped[1], during: "scan", reason: "source does not exist (skipped)" };
  }
  if (!line.startsWith("{")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined; // not JSON after all: plain stderr text
  }
  const message = errorMessage.safeParse(parsed);
  if (!message.success) return undefined;
  const { error, during, item } = message.data;
  const errno = (error as { Err?: unknown } | undefined)?.Err;
  const op = error?.Op ?? "read";
  return {
    path: item ?? error?.Path ?? "(unknown)",
    during: during ?? "backup",
    reason: typeof errno === "number" ? `${op}: ${errnoText(errno)}` : op,
  };
}

const ERRNO: Record<number, string> = {
  1: "operation not permitted",
  2: "no such file or directory",
  5: "input/output error",
  13: "permission denied",
  20: "not a directory",
  40: "too many levels of symbolic links",
};

function errnoText(errno: number): string {
  return ERRNO[errno] ?? `errno ${errno}`;
}
