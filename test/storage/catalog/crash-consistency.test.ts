import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Catalog } from "../../../storage/catalog/catalog.js";
import { PARTS_PER_BATCH, partKey } from "./crash-writer.js";
import { TempCatalogDir } from "./temp-catalog-dir.js";

const WRITER = fileURLToPath(new URL("./crash-writer.ts", import.meta.url));
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const ITERATIONS = 16;
/** The most acknowledged batches to wait for before a kill; each run picks 0..this at random. */
const MAX_ACKS_BEFORE_KILL = 2500;
/** How long a writer may take to reach its kill point before the test gives up on it. */
const DEADLINE_MS = 15_000;

interface WriterRun {
  firstBatch: number;
  ackedBatches: number[];
  ackedSingles: string[];
}

/**
 * Starts the writer on `dir`, lets it run until it has acknowledged `ackTarget` batches (a
 * condition, not a delay), SIGKILLs it and resolves once it is gone, with everything it acked.
 * `whileRunning`, when given, runs once the writer reports ready; the kill waits for it, and its
 * failure fails the run.
 */
function runWriter(
  dir: string,
  ackTarget: number,
  whileRunning?: () => Promise<void>,
): Promise<WriterRun> {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, dir], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const run: WriterRun = { firstBatch: 0, ackedBatches: [], ackedSingles: [] };
  let isReady = false;
  let isBusy = false;
  let busyFailure: unknown;
  let stderr = "";
  let partial = "";
  const killIfDone = (): void => {
    if (isReady && !isBusy && run.ackedBatches.length >= ackTarget) child.kill("SIGKILL");
  };
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on("data", (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split("\n");
    // A kill can cut the last line short; only complete lines are acknowledgements.
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const [kind, value = ""] = line.split(" ");
      if (kind === "b") run.ackedBatches.push(Number(value));
      else if (kind === "s") run.ackedSingles.push(value);
      else if (kind === "ready") {
        isReady = true;
        run.firstBatch = Number(value);
        if (whileRunning !== undefined) {
          isBusy = true;
          void whileRunning()
            .catch((err: unknown) => (busyFailure = err))
            .finally(() => {
              isBusy = false;
              killIfDone();
            });
        }
      }
    }
    killIfDone();
  });
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => child.kill("SIGKILL"), DEADLINE_MS);
    child.on("error", reject);
    // "close", not "exit": it comes after stdout is drained, so no printed ack is missed.
    child.on("close", (code, signal) => {
      clearTimeout(deadline);
      const isKilledAtTarget = signal === "SIGKILL" && run.ackedBatches.length >= ackTarget;
      if (busyFailure !== undefined) reject(busyFailure);
      else if (isKilledAtTarget) resolve(run);
      else {
        const acked = `${run.ackedBatches.length} of ${ackTarget} acks`;
        reject(new Error(`writer ended early (${acked}, code ${code}, ${signal}): ${stderr}`));
      }
    });
  });
}

/**
 * Reopens the catalog and checks it against everything any writer acknowledged so far; the values
 * of batches above `previousCounter` (this run's) are read in full, older ones by key. Returns
 * the counter.
 */
async function verify(
  dir: string,
  previousCounter: number,
  ackedMax: number,
  ackedSingles: readonly string[],
): Promise<number> {
  const catalog = await Catalog.open({ dir });
  try {
    const media = catalog.namespace("media");
    const counter = (await media.get<number>("counter")) ?? 0;
    assert.ok(counter >= ackedMax, `acknowledged batch ${ackedMax} lost: counter is ${counter}`);

    // Batches land in order, so exactly 1..counter must be present, each with all its parts.
    const parts = new Map<number, number>();
    for await (const key of media.keys({ prefix: "batch/" })) {
      const batchNo = Number(key.split("/")[1]);
      parts.set(batchNo, (parts.get(batchNo) ?? 0) + 1);
    }
    for (const [batchNo, count] of parts) {
      assert.equal(count, PARTS_PER_BATCH, `batch ${batchNo} is torn: ${count} parts`);
      assert.ok(batchNo <= counter, `batch ${batchNo} present but counter says ${counter}`);
    }
    assert.equal(parts.size, counter, "a batch below the counter is missing");
    const newParts = media.entries<{ batchNo: number; part: number }>({
      prefix: "batch/",
      gte: partKey(previousCounter + 1, 0),
    });
    for await (const [key, value] of newParts) {
      assert.equal(key, partKey(value.batchNo, value.part));
    }

    const singles = await catalog.namespace("pbx").getMany(ackedSingles);
    singles.forEach((value, i) => {
      const key = ackedSingles[i] ?? "";
      assert.equal(value, Number(key.split("/")[2]), `acknowledged put ${key} lost`);
    });
    assert.equal(catalog.stats.corruptValuesSkipped, 0);
    return counter;
  } finally {
    await catalog.close();
  }
}

describe("catalog crash consistency (writer killed with SIGKILL)", function () {
  this.timeout(60_000);
  const temp = new TempCatalogDir();

  before(() => temp.create());
  after(() => temp.remove());

  it("refuses to open a folder a running writer holds, naming the fix", async () => {
    const dir = temp.path("locked");
    await runWriter(dir, 1, async () => {
      await assert.rejects(Catalog.open({ dir }), {
        code: "E_CATALOG",
        message: `another hearth is already using ${dir}; stop it or point --data elsewhere`,
      });
    });
  });

  it(`never loses an acknowledged write nor tears a batch (${ITERATIONS} kills)`, async () => {
    const dir = temp.path("crash");
    let ackedMax = 0;
    const ackedSingles: string[] = [];
    let counter = 0;
    for (let i = 0; i < ITERATIONS; i += 1) {
      const run = await runWriter(dir, Math.floor(Math.random() * MAX_ACKS_BEFORE_KILL));
      // The writer resumes after the batches the previous kill left behind.
      assert.equal(run.firstBatch, counter + 1);
      ackedMax = Math.max(ackedMax, ...run.ackedBatches);
      ackedSingles.push(...run.ackedSingles);
      counter = await verify(dir, counter, ackedMax, ackedSingles);
    }
    assert.ok(ackedMax > 0, "no writer acknowledged anything");
  });
});
