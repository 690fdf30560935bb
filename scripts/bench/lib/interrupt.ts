/** Clean-ups run when the benchmark is interrupted (Ctrl-C, SIGTERM, SIGHUP). */
type Task = () => void | Promise<void>;
const tasks = new Set<Task>();
let installed = false;
let running = false;

/**
 * Runs the tasks newest first, then exits. Asynchronous on purpose: under `tsx`, the parent
 * process re-sends a signal it did not see acknowledged within 30 ms and then SIGKILLs; the
 * acknowledgement needs the event loop, so a long synchronous clean-up would be cut short.
 */
async function runAndExit(): Promise<void> {
  if (running) return; // a second Ctrl-C, or tsx relaying the first
  running = true;
  for (const task of [...tasks].reverse()) {
    try {
      await task();
    } catch {
      // Best effort: the next clean-up still runs.
    }
  }
  process.exit(130);
}

/**
 * Registers `task` to run if the process is interrupted before the returned function
 * unregisters it. `finally` blocks cover normal ends; this covers signals, where Node would
 * otherwise exit without running them.
 */
export function onInterrupt(task: Task): () => void {
  if (!installed) {
    installed = true;
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.on(signal, () => void runAndExit());
    }
  }
  tasks.add(task);
  return () => tasks.delete(task);
}
