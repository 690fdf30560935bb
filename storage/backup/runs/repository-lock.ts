import { mkdir, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { BackupFailure } from "../backup-failure.js";

/**
 * Never two runs on one repository at once: restic happily runs two backups side by side, and a
 * `check` next to a backup fails. Inside hearth a promise chain per repository serialises runs;
 * a lock file with the PID keeps a foreground `hearth backup run` and the daemon apart.
 */
export class RepositoryLocks {
  readonly #dir: string;
  readonly #chains = new Map<string, Promise<unknown>>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Runs `work` once the repository is free; throws BackupFailure "busy" if another process holds it. */
  with<T>(repositoryId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#chains.get(repositoryId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.#locked(repositoryId, work));
    this.#chains.set(repositoryId, next);
    void next
      .finally(() => {
        if (this.#chains.get(repositoryId) === next) this.#chains.delete(repositoryId);
      })
      .catch(() => undefined);
    return next;
  }

  async #locked<T>(repositoryId: string, work: () => Promise<T>): Promise<T> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const path = join(this.#dir, `${repositoryId}.lock`);
    await this.#take(path);
    try {
      return await work();
    } finally {
      await rm(path, { force: true });
    }
  }

  async #take(path: string): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        const file = await open(path, "wx", 0o600);
        await file.writeFile(`${process.pid}\n`);
        await file.close();
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      }
      const pid = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new BackupFailure(
          "busy",
          `another hearth process (pid ${pid}) is using this repository right now`,
          "Wait for it to finish (hearth backup status), then try again.",
        );
      }
      // Left behind by a process that is gone: take it over.
      await rm(path, { force: true });
    }
    throw new BackupFailure(
      "busy",
      `could not take the lock file ${path}`,
      "Remove it if no hearth is running.",
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
