import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import {
  closeSync,
  copyFileSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HearthError } from "../../../services/errors.js";
import { MetadataPool } from "../../../media/metadata/metadata-pool.js";
import {
  corpusCache,
  diffFromExpected,
  siblingNames,
  type CorpusManifest,
} from "../../fixtures/media-corpus/index.js";

const crashingWorker = new URL("./fixtures/crashing-worker.ts", import.meta.url);
const ref = (relPath: string) => ({ rootId: 0, relPath, sizeBytes: 1, mtimeMs: 0 });

/** Polls `condition` until it holds or `deadlineMs` passes. */
async function waitFor(condition: () => boolean, deadlineMs: number): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error("condition not met before the deadline");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("MetadataPool", function () {
  this.timeout(60_000);
  let corpus: CorpusManifest;
  const pools: MetadataPool[] = [];
  const pool = (options: ConstructorParameters<typeof MetadataPool>[0]): MetadataPool => {
    const created = new MetadataPool(options);
    pools.push(created);
    return created;
  };
  const corpusFile = (relPath: string) => {
    const e = corpus.entries.find((x) => x.relPath === relPath);
    if (e === undefined) throw new Error(`${relPath} is not in the corpus`);
    return {
      abs: join(corpus.root, relPath),
      file: { rootId: 0, relPath, sizeBytes: e.sizeBytes, mtimeMs: e.mtimeMs },
    };
  };

  before(async () => {
    corpus = await corpusCache();
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.close()));
  });

  it("reads the whole corpus on two workers exactly as its manifest says", async () => {
    const p = pool({ workers: 2 });
    const results = await Promise.all(
      corpus.entries.map(async (e) => {
        const got = await p.extract(
          join(corpus.root, e.relPath),
          { rootId: 1, relPath: e.relPath, sizeBytes: e.sizeBytes, mtimeMs: e.mtimeMs },
          siblingNames(corpus.entries, e.relPath),
        );
        if (e.expected === null) return got === null ? [] : [`${e.relPath}: expected null`];
        return diffFromExpected(e.expected, got).map((d) => `${e.relPath}: ${d}`);
      }),
    );
    assert.deepEqual(results.flat(), []);
    const stats = p.stats();
    assert.equal(stats.peakBusy, Math.min(2, availableParallelism()), "both workers ran at once");
    assert.ok(stats.workers <= 2);
    assert.deepEqual([stats.busy, stats.queued, stats.crashed, stats.timedOut], [0, 0, 0, 0]);
  });

  it("resolves null for a vanished file and for names that are not media", async () => {
    const p = pool({ workers: 1 });
    assert.equal(
      await p.extract(join(corpus.root, "Music/gone.mp3"), ref("Music/gone.mp3"), []),
      null,
    );
    assert.equal(
      await p.extract(join(corpus.root, "Videos/Film.srt"), ref("Videos/Film.srt"), []),
      null,
    );
  });

  for (const [trigger, what] of [
    ["EXIT-WORKER", "exits"],
    ["THROW-IN-WORKER", "throws"],
  ] as const) {
    it(`lists a file by name when its worker ${what} mid-job, and carries on with a new worker`, async () => {
      const p = pool({ workers: 1, workerUrl: crashingWorker });
      const broken = await p.extract(`/nowhere/${trigger}.mp3`, ref(`Music/${trigger}.mp3`), [
        "cover.jpg",
      ]);
      assert.equal(broken?.mediaClass, "audio");
      assert.equal(broken?.mime, "audio/mpeg");
      assert.equal(broken?.coverRelPath, "Music/cover.jpg");
      assert.match(broken?.metadataError ?? "", /^the metadata reader crashed: /);
      const { abs, file } = corpusFile("Music/Alpha Artist/First Album/01 Opening.mp3");
      const good = await p.extract(abs, file, []);
      assert.equal(good?.audio?.title, "Opening");
      assert.equal(p.stats().crashed, 1);
    });
  }

  it("fails only the culprit when a worker dies with several files in flight", async () => {
    const p = pool({ workers: 1, jobsPerWorker: 4, workerUrl: crashingWorker });
    const good = [
      "Music/Alpha Artist/First Album/01 Opening.mp3",
      "Music/Alpha Artist/First Album/02 Second.mp3",
      "Pictures/logo.png",
    ].map(corpusFile);
    const [first, broken, ...rest] = await Promise.all([
      p.extract(good[0]!.abs, good[0]!.file, []),
      p.extract("/nowhere/EXIT-WORKER.mp3", ref("Music/EXIT-WORKER.mp3"), []),
      ...good.slice(1).map((g) => p.extract(g.abs, g.file, [])),
    ]);
    assert.match(broken?.metadataError ?? "", /^the metadata reader crashed: /);
    assert.deepEqual(
      [first, ...rest].map((f) => f?.metadataError),
      [undefined, undefined, undefined],
      "the files in flight beside it were read again, alone, and are fine",
    );
    assert.equal(first?.audio?.title, "Opening");
    assert.equal(rest[1]?.dlnaProfile, "PNG_TN");
    const stats = p.stats();
    assert.equal(stats.crashed, 1);
    assert.ok(stats.requeued >= 2, `files in flight were requeued (${stats.requeued})`);
  });

  /** One crashing-worker thread, 4 files in flight, already up (it has read logo.png once). */
  async function warmCrashingPool(jobTimeoutMs: number) {
    const p = pool({ workers: 1, jobsPerWorker: 4, workerUrl: crashingWorker, jobTimeoutMs });
    const { abs, file } = corpusFile("Pictures/logo.png");
    assert.equal((await p.extract(abs, file, []))?.dlnaProfile, "PNG_TN");
    return { p, abs, file };
  }

  it("fails only the hung file when a worker stalls with several files in flight", async () => {
    const { p, abs, file } = await warmCrashingPool(2_000);
    // The innocent file went first, the oldest in flight when the watchdog fires: it must not
    // take the blame.
    const [fine, hung] = await Promise.all([
      p.extract(abs, file, []),
      p.extract("/nowhere/HANG-WORKER.mkv", ref("HANG-WORKER.mkv"), []),
    ]);
    assert.equal(hung?.metadataError, "metadata extraction gave no answer within 2000 ms");
    assert.equal(fine?.metadataError, undefined);
    assert.equal(fine?.dlnaProfile, "PNG_TN");
    assert.equal(p.stats().timedOut, 1);
  });

  it("gives a file waiting in its worker behind slow ones its own time (progress, not queueing)", async () => {
    const { p, abs, file } = await warmCrashingPool(1_500);
    const dir = mkdtempSync(join(tmpdir(), "hearth-pool-slow-"));
    try {
      // Four files of 0.5 s each, sent at once: the last is answered ~2 s after it was sent,
      // longer than jobTimeoutMs, though no file took more than 0.5 s.
      const slow = ["SLOW-READ-1.png", "SLOW-READ-2.png", "SLOW-READ-3.png", "SLOW-READ-4.png"];
      for (const name of slow) copyFileSync(abs, join(dir, name));
      const read = await Promise.all(
        slow.map((name) => p.extract(join(dir, name), { ...file, relPath: name }, [])),
      );
      assert.deepEqual(
        read.map((f) => f?.metadataError ?? f?.dlnaProfile),
        ["PNG_TN", "PNG_TN", "PNG_TN", "PNG_TN"],
      );
      assert.equal(p.stats().timedOut, 0);
      assert.equal(p.stats().requeued, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives up on a file that hangs its worker, and replaces the worker", async () => {
    const p = pool({ workers: 1, workerUrl: crashingWorker, jobTimeoutMs: 2_000 });
    const { abs, file } = corpusFile("Pictures/logo.png");
    assert.equal((await p.extract(abs, file, []))?.dlnaProfile, "PNG_TN");
    const hung = await p.extract("/nowhere/HANG-WORKER.mkv", ref("HANG-WORKER.mkv"), []);
    assert.equal(hung?.metadataError, "metadata extraction gave no answer within 2000 ms");
    assert.equal((await p.extract(abs, file, []))?.dlnaProfile, "PNG_TN");
    assert.equal(p.stats().timedOut, 1);
  });

  it("stops starting workers when reads block for good, and does not wait for them to stop", async () => {
    // FIFOs nobody writes to: opening one blocks in the kernel, as a read from a dead NFS server
    // does; no thread stuck there can be terminated until the open returns.
    const dir = mkdtempSync(join(tmpdir(), "hearth-pool-fifo-"));
    const fifos = ["BLOCK-IN-READ-1.mp3", "BLOCK-IN-READ-2.mp3"].map((name) => join(dir, name));
    for (const fifo of fifos) execFileSync("mkfifo", [fifo]);
    const warnings: string[] = [];
    const p = pool({
      workers: 1,
      workerUrl: crashingWorker,
      jobTimeoutMs: 1_000,
      stuckAfterMs: 1_000,
      log: { warn: (_obj, msg) => warnings.push(msg) },
    });
    try {
      const { abs, file } = corpusFile("Pictures/logo.png");
      for (const [i, fifo] of fifos.entries()) {
        // A fresh worker, up and ready (so the blocked file gets no start-up allowance).
        assert.equal((await p.extract(abs, file, []))?.dlnaProfile, "PNG_TN");
        const blocked = await p.extract(fifo, ref(`BLOCK-IN-READ-${i + 1}.mp3`), []);
        assert.equal(blocked?.metadataError, "metadata extraction gave no answer within 1000 ms");
        const stuck = () => warnings.filter((w) => /stuck in a file read/.test(w)).length;
        await waitFor(() => stuck() === i + 1, 10_000);
      }
      // Two threads are stuck: no third is started, files are refused with what to check.
      await assert.rejects(p.extract(abs, file, []), (err: unknown) => {
        assert.ok(err instanceof HearthError);
        assert.equal(err.code, "E_NOT_RUNNING");
        assert.match(err.message, /stuck in 2 file reads/);
        assert.match(err.fix ?? "", /network share/);
        return true;
      });
      assert.equal(p.stats().workers, 0);
      const closing = Date.now();
      await p.close();
      assert.ok(Date.now() - closing < 5_000, "close() did not wait for the stuck threads");
    } finally {
      // Unblock the stuck opens (a writer arrives, then EOF), so their threads can exit.
      for (const fifo of fifos) closeSync(openSync(fifo, "w"));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses files with E_NOT_RUNNING when its workers cannot start", async () => {
    const p = pool({
      workers: 1,
      workerUrl: new URL("./fixtures/no-such-worker.ts", import.meta.url),
    });
    await assert.rejects(p.extract("/nowhere/a.mp3", ref("a.mp3"), []), (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(err.code, "E_NOT_RUNNING");
      assert.match(err.message, /^metadata workers fail to start: /);
      return true;
    });
  });

  it("rejects running, queued and later extractions once closed", async () => {
    const p = pool({ workers: 1, workerUrl: crashingWorker });
    const running = p.extract("/nowhere/HANG-WORKER.mp3", ref("HANG-WORKER.mp3"), []);
    const queued = p.extract("/nowhere/b.mp3", ref("b.mp3"), []);
    const closed = { code: "E_NOT_RUNNING", message: "the metadata pool is closed" };
    const outcomes = [assert.rejects(running, closed), assert.rejects(queued, closed)];
    await waitFor(() => p.stats().busy === 1, 10_000);
    await p.close();
    await Promise.all(outcomes);
    await assert.rejects(p.extract("/nowhere/c.mp3", ref("c.mp3"), []), closed);
    assert.equal(p.stats().workers, 0);
  });

  it("runs its worker threads at a lower CPU priority than the main thread (Linux)", async function () {
    if (process.platform !== "linux") this.skip();
    const niceOf = (tid: string): number => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      // Field 19 is nice; fields are counted after the ")" that ends the thread's name.
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    };
    const p = pool({ workers: 2, workerNice: 7 });
    const { abs, file } = corpusFile("Pictures/anim.gif");
    await Promise.all([p.extract(abs, file, []), p.extract(abs, file, [])]);
    const nices = readdirSync("/proc/self/task").map(niceOf);
    const workers = Math.min(2, availableParallelism());
    assert.equal(nices.filter((n) => n === 7).length, workers, `thread nices: ${nices.join(" ")}`);
    assert.equal(niceOf(String(process.pid)), 0);
  });

  it("stops idle workers after idleTimeoutMs", async () => {
    const p = pool({ workers: 2, idleTimeoutMs: 100 });
    const { abs, file } = corpusFile("Pictures/anim.gif");
    await Promise.all([p.extract(abs, file, []), p.extract(abs, file, [])]);
    await waitFor(() => p.stats().workers === 0, 10_000);
    assert.equal((await p.extract(abs, file, []))?.dlnaProfile, "GIF_LRG", "and starts them again");
  });

  for (const mode of ["close", "idle"] as const) {
    const how = mode === "close" ? "after close()" : "while idle, even without close()";
    it(`lets the process exit ${how}`, async () => {
      const script = fileURLToPath(new URL("./fixtures/pool-exit.ts", import.meta.url));
      const track = join(corpus.root, "Music/Alpha Artist/First Album/01 Opening.mp3");
      const stdout = await new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          ["--import", "tsx", script, mode, track],
          { timeout: 30_000 },
          (err, out, stderr) =>
            err === null ? resolve(out) : reject(new Error(`${err.message}\n${stderr}`)),
        );
      });
      assert.equal(stdout, `Opening Opening ${Math.min(2, availableParallelism())}\n`);
    });
  }
});
