import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/** A line stamp as PortLog writes it: UTC ISO-8601 with milliseconds, then a space. */
export const STAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /;

/** A fresh folder under the OS temp dir; `remove()` deletes it. */
export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "hearth-console-log-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** A clock that stands still until told to move. */
export function manualClock(startIso = "2026-12-02T15:40:01.123Z"): {
  now: () => Date;
  advance(ms: number): void;
  iso(): string;
} {
  let ms = Date.parse(startIso);
  return {
    now: () => new Date(ms),
    advance: (by) => void (ms += by),
    iso: () => new Date(ms).toISOString(),
  };
}

/** Polls `condition` until true; fails with `what` after a generous deadline (no timing asserts). */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every generation of a port's log, oldest first, gunzipped: `[.N.gz, …, .1.gz, current]`. */
export async function readGenerations(dir: string, name: string): Promise<Buffer[]> {
  const numbers = (await readdir(dir))
    .map((file) => new RegExp(`^${name}\\.log\\.(\\d+)\\.gz$`).exec(file)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => b - a);
  const files: Buffer[] = [];
  for (const n of numbers) files.push(gunzipSync(await readFile(join(dir, `${name}.log.${n}.gz`))));
  files.push(await readFile(join(dir, `${name}.log`)));
  return files;
}

/** Splits log text into lines, each with its `\n` (the last may lack one). */
export function linesOf(bytes: Buffer): string[] {
  return bytes.toString("latin1").match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
