/**
 * Entry of a metadata worker thread, started by MetadataPool: reads one file at a time with
 * music-metadata, ffprobe, image-size and exifr, so tag parsing never runs on the main thread.
 */
import { parentPort, workerData } from "node:worker_threads";
import { serveMetadataJobs, type WorkerConfig } from "./metadata-protocol.js";
import { lowerThreadPriority } from "./thread-priority.js";

if (parentPort === null) {
  throw new Error("metadata-worker runs only as a worker thread started by MetadataPool");
}
const config = (workerData ?? {}) as WorkerConfig;
if (config.nice !== undefined) lowerThreadPriority(config.nice);
serveMetadataJobs(parentPort, config);
