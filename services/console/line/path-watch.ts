import { existsSync, watch, type FSWatcher } from "node:fs";
import { dirname } from "node:path";

const SETTLE_MS = 50;

/**
 * Calls back when something changes in the folder of `path`, or in the nearest folder above it
 * that exists: /dev/serial/by-id itself vanishes with the last adapter and comes back with the
 * first, so the watch climbs to /dev/serial or /dev and climbs down again as folders appear.
 * inotify through fs.watch; no polling loop (an idle box must not wake up for nothing).
 */
export class PathWatch {
  readonly #path: string;
  readonly #onChange: () => void;
  #watcher: FSWatcher | undefined;
  #watchedDir: string | undefined;
  #settleTimer: NodeJS.Timeout | undefined;
  #isClosed = false;

  constructor(path: string, onChange: () => void) {
    this.#path = path;
    this.#onChange = onChange;
    this.#arm();
  }

  close(): void {
    this.#isClosed = true;
    clearTimeout(this.#settleTimer);
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  #arm(): void {
    if (this.#isClosed) return;
    const dir = nearestExistingDir(dirname(this.#path));
    if (dir === this.#watchedDir && this.#watcher) return;
    this.#watcher?.close();
    this.#watchedDir = dir;
    try {
      this.#watcher = watch(dir, { persistent: false }, () => this.#changed());
      this.#watcher.on("error", () => {
        // The folder went away under the watch (last adapter unplugged): climb up and go on.
        this.#watcher?.close();
        this.#watcher = undefined;
        this.#changed();
      });
    } catch {
      // Out of inotify watches or no permission on the folder: retry on the next change we hear
      // of elsewhere; the line's own retry timer still reopens a busy or failed port.
      this.#watcher = undefined;
    }
  }

  #changed(): void {
    clearTimeout(this.#settleTimer);
    // udev creates by-id links a few at a time; act once they settle.
    this.#settleTimer = setTimeout(() => {
      if (this.#isClosed) return;
      this.#arm();
      this.#onChange();
    }, SETTLE_MS);
  }
}

function nearestExistingDir(dir: string): string {
  let at = dir;
  while (!existsSync(at)) {
    const up = dirname(at);
    if (up === at) return at;
    at = up;
  }
  return at;
}
