import type { Logger } from "pino";
import type { RootProblem } from "./indexer-types.js";

/**
 * The problems of one root that the user should see (unreadable folders, symlink loops, the
 * inotify limit), each logged once when it first appears rather than on every rescan. A complete
 * scan of the root replaces the scan-found problems, so a fixed folder drops out of the status.
 */
export class ProblemLog {
  readonly #log: Logger;
  readonly #problems = new Map<string, RootProblem>();
  /** Keys reported again during the complete scan that runs now; null when none runs. */
  #seenThisScan: Set<string> | null = null;

  constructor(log: Logger) {
    this.#log = log;
  }

  /**
   * Records a problem; logs it (warn) only the first time its kind+path is seen. `quiet` records
   * without logging, for problems the caller logs once for all roots (the inotify limit).
   */
  report(problem: RootProblem, quiet = false): void {
    const key = `${problem.kind}\0${problem.relPath}`;
    this.#seenThisScan?.add(key);
    if (this.#problems.has(key)) return;
    this.#problems.set(key, problem);
    if (quiet) return;
    const { kind, relPath, fix } = problem;
    this.#log.warn({ kind, relPath, ...(fix === undefined ? {} : { fix }) }, problem.message);
  }

  /** Forgets a problem that is over (e.g. the root is available again). */
  clear(kind: RootProblem["kind"], relPath = ""): void {
    this.#problems.delete(`${kind}\0${relPath}`);
  }

  /** Called when a complete scan of the root starts. */
  beginScan(): void {
    this.#seenThisScan = new Set();
  }

  /** Called when a complete scan ended normally: scan problems not seen again are gone. */
  endScan(): void {
    const seen = this.#seenThisScan;
    this.#seenThisScan = null;
    if (seen === null) return;
    for (const [key, problem] of this.#problems) {
      if (isScanProblem(problem) && !seen.has(key)) this.#problems.delete(key);
    }
  }

  /** Called when a complete scan was cut short: nothing can be concluded about missing problems. */
  abandonScan(): void {
    this.#seenThisScan = null;
  }

  list(): RootProblem[] {
    return [...this.#problems.values()];
  }
}

function isScanProblem(problem: RootProblem): boolean {
  return (
    problem.kind === "unreadable" || problem.kind === "symlink-loop" || problem.kind === "bad-name"
  );
}
