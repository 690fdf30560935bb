/** Synchronous clean-ups run when the benchmark is interrupted (Ctrl-C, SIGTERM, SIGHUP). */
const tasks = new Set<() => void>();
let installed = false;

function runAndExit(): void {
  for (const task of [...tasks].reverse()) {
    try {
      task();
    } catch {
      // Best effort: the next clean-up still runs.
    }
  }
  process.exit(130);
}

/**
 * Registers `task` to run (newest first) if the process is interrupted before the returned
 * function unregisters it. `finally` blocks cover normal ends; this covers signals, where
 * Node would otherwise exit without running them.
 */
export function onInterrupt(task: () => void): () => void {
  if (!installed) {
    installed = true;
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, runAndExit);
  }
  tasks.add(task);
  return () => tasks.delete(task);
}
