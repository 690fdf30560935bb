// Counts the timers and intervals alive in this process, to check the advertiser's idle promise
// (one timer once the start repeats are done). Import it before anything that makes timers:
// it wraps the globals the advertiser uses. Unref'd timers count too, unlike
// process.getActiveResourcesInfo().
const live = new Set<unknown>();
const { setTimeout: realSetTimeout, clearTimeout: realClearTimeout } = globalThis;
const { setInterval: realSetInterval, clearInterval: realClearInterval } = globalThis;

globalThis.setTimeout = ((
  callback: (...args: unknown[]) => void,
  ms?: number,
  ...args: unknown[]
) => {
  const timer = realSetTimeout(() => {
    live.delete(timer);
    callback(...args);
  }, ms);
  live.add(timer);
  return timer;
}) as unknown as typeof setTimeout;
globalThis.clearTimeout = ((timer: NodeJS.Timeout | undefined) => {
  live.delete(timer);
  realClearTimeout(timer);
}) as typeof clearTimeout;
globalThis.setInterval = ((
  callback: (...args: unknown[]) => void,
  ms?: number,
  ...args: unknown[]
) => {
  const timer = realSetInterval(callback, ms, ...args);
  live.add(timer);
  return timer;
}) as unknown as typeof setInterval;
globalThis.clearInterval = ((timer: NodeJS.Timeout | undefined) => {
  live.delete(timer);
  realClearInterval(timer);
}) as typeof clearInterval;

/** Timers and intervals created since this module loaded that have neither fired nor been cleared. */
export function liveTimers(): number {
  return live.size;
}
