import type { MessagePort } from "node:worker_threads";
import type { NameClass } from "./classify-name.js";
import { probeFile, type ProbeOutcome } from "./probe-file.js";
import type { FfprobeOptions } from "./probe-video.js";

/** One file to read, from the pool to a worker. */
export interface JobRequest {
  id: number;
  absPath: string;
  name: NameClass;
}

/** What a worker sends back: `ready` once after it loaded, then one reply per job. */
export type WorkerMessage = { kind: "ready" } | { kind: "done"; id: number; outcome: ProbeOutcome };

/** How a worker reads files; `workerData` of every metadata worker. */
export interface WorkerConfig extends FfprobeOptions {
  /** Nice value the worker thread (and its ffprobe children) runs at; undefined = unchanged. */
  nice?: number;
}

/** The function a worker runs per job; tests swap it to make a worker crash or hang. */
export type ProbeFunction = (
  absPath: string,
  name: NameClass,
  options: FfprobeOptions,
) => Promise<ProbeOutcome>;

/**
 * Serves metadata jobs on a worker's parent port, strictly one after another in the order the
 * pool sent them, and announces itself ready. Started as each message arrived, a worker began
 * every queued file before answering any (each ran until its first real wait, and the port
 * delivers all pending messages first): replies came in bursts, so the pool's watchdog saw no
 * progress, and a queue of videos meant as many ffprobe processes at once. probeFile never
 * rejects; should it anyway, the reply says "failed" so the pool is never left waiting.
 */
export function serveMetadataJobs(
  port: MessagePort,
  config: WorkerConfig,
  probe: ProbeFunction = probeFile,
): void {
  const waiting: JobRequest[] = [];
  let isBusy = false;
  const next = (): void => {
    const job = waiting.shift();
    isBusy = job !== undefined;
    if (job === undefined) return;
    const reply = (outcome: ProbeOutcome): void => {
      port.postMessage({ kind: "done", id: job.id, outcome } satisfies WorkerMessage);
    };
    probe(job.absPath, job.name, config)
      .then(reply, (err: unknown) =>
        reply({ kind: "failed", error: err instanceof Error ? err.message : String(err) }),
      )
      .finally(next);
  };
  port.on("message", (job: JobRequest) => {
    waiting.push(job);
    if (!isBusy) next();
  });
  port.postMessage({ kind: "ready" } satisfies WorkerMessage);
}
