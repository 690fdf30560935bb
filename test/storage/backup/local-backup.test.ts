import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { Repository } from "../../../storage/backup/restic/repository.js";
import { diffTrees, makeTree } from "../../fixtures/backup/tree.js";
import { readProcFile, watchProcessesDuring } from "../../support/process-watch.js";
import { openHarness, type Harness } from "./support/backup-harness.js";

const PASSWORD_ENV = { HEARTH_TEST_RESTIC_PW: "correct horse battery staple" };

// The backup engine against a real local restic repository: what a household with a USB disk
// sees, including the failures the disk and the files throw at it.
describe("backups to a local repository (real restic)", function () {
  this.timeout(120_000);
  let h: Harness;
  let source: string;
  let repo: string;

  const job = (extra: Record<string, unknown> = {}) => ({
    jobs: {
      docs: {
        sources: [source],
        destinations: [{ type: "local", path: repo }],
        password: { env: "HEARTH_TEST_RESTIC_PW" },
        schedule: "0 3 * * *",
        ...extra,
      },
    },
  });

  beforeEach(async () => {
    h = await openHarness({ jobs: {} }, { env: PASSWORD_ENV });
    source = join(h.dir, "source");
    repo = join(h.dir, "repo");
    await makeTree(source, { seed: 7, largeFiles: { count: 2, bytes: 12 << 20 } });
    await h.reopen(job());
  });
  afterEach(async () => {
    await h.close();
  });

  it("creates the repository on first use, backs up, and restores the same tree", async () => {
    const first = await h.backups.run("docs", "backup", "manual");
    assert.equal(first.outcome, "ok", JSON.stringify(first));
    const summary = first.destinations[0]?.summary;
    assert.ok(summary && summary.filesNew > 0 && summary.filesChanged === 0);
    assert.ok(existsSync(join(repo, "config")), "restic init made the repository");

    const again = await h.backups.run("docs", "backup", "manual");
    assert.equal(again.outcome, "ok");
    assert.equal(again.destinations[0]?.summary?.filesNew, 0, "an unchanged re-run adds no files");
    assert.equal(again.destinations[0]?.summary?.filesUnmodified, summary.filesNew);

    const to = join(h.dir, "restored");
    await h.backups.restore("docs", "latest", { to });
    assert.deepEqual(await diffTrees(source, join(to, source)), []);

    const runs = await h.backups.history("docs", "backup");
    assert.deepEqual(
      runs.map((r) => r.outcome),
      ["ok", "ok"],
      "both runs are in the catalog, newest first",
    );
    assert.equal(h.backups.views()[0]?.state, "ok");
  });

  it("restores one folder from an older snapshot into a new folder, never over files", async () => {
    await h.backups.run("docs", "backup", "manual");
    const [snapshot] = await h.backups.snapshots("docs");
    const top = await h.backups.list("docs", snapshot!.id, source);
    const folder = top.find((n) => n.type === "dir");
    assert.ok(
      folder,
      `a folder at the top of the source: ${JSON.stringify(top.map((n) => n.name))}`,
    );

    const to = join(h.dir, "one-folder");
    await h.backups.restore("docs", snapshot!.id, { to, path: folder.path });
    assert.deepEqual(await diffTrees(folder.path, join(to, folder.path)), []);
    assert.deepEqual(readdirSync(join(to, source)), [folder.name], "only that folder came back");

    await assert.rejects(
      h.backups.restore("docs", snapshot!.id, { to }),
      /not empty.*never overwrites/,
    );
  });

  it("finds a file by name across snapshots", async () => {
    writeFileSync(join(source, "Tax return 2025.ods"), "numbers");
    await h.backups.run("docs", "backup", "manual");
    const found = await h.backups.find("docs", "Tax return*");
    assert.deepEqual(
      found.map((f) => f.path),
      [join(source, "Tax return 2025.ods")],
    );
  });

  it("a wrong password fails with the reason and the fix, and writes nothing", async () => {
    await h.backups.run("docs", "backup", "manual");
    const before = readdirSync(join(repo, "snapshots")).length;
    await h.reopen(job(), { env: { HEARTH_TEST_RESTIC_PW: "wrong" } });
    const run = await h.backups.run("docs", "backup", "manual");
    assert.equal(run.outcome, "failed");
    assert.equal(run.destinations[0]?.error?.kind, "auth");
    assert.match(run.destinations[0]?.error?.fix ?? "", /password/);
    assert.equal(readdirSync(join(repo, "snapshots")).length, before);
    assert.equal(h.backups.views()[0]?.state, "failed");
    const logged = h.logs.find(
      (l) => l.level === 50 && /backup docs failed: wrong password/.test(String(l.msg)),
    );
    assert.ok(logged, "one error line with the reason");
  });

  it("never starts a new repository where one it used has vanished, unless told to", async () => {
    await h.backups.run("docs", "backup", "manual");
    rmSync(repo, { recursive: true });
    const run = await h.backups.run("docs", "backup", "manual");
    assert.equal(run.destinations[0]?.error?.kind, "repository-missing");
    assert.match(run.destinations[0]?.error?.fix ?? "", /hearth backup run docs --init/);
    assert.equal(existsSync(repo), false, "nothing was created");

    const fresh = await h.backups.run("docs", "backup", "manual", { allowInit: true });
    assert.equal(fresh.outcome, "ok");
  });

  it("a source that is missing is a warning naming it; the rest is backed up", async () => {
    const gone = join(h.dir, "renamed-folder");
    mkdirSync(gone);
    // The pre hook removes it, as a user renaming ~/Documents between two runs would.
    await h.reopen(job({ sources: [source, gone], hooks: { pre: `rm -rf '${gone}'` } }));
    const run = await h.backups.run("docs", "backup", "manual");
    assert.equal(run.outcome, "warning", JSON.stringify(run));
    assert.deepEqual(
      run.destinations[0]?.warnings?.map((w) => w.path),
      [gone],
    );
    assert.ok(run.destinations[0]?.summary?.snapshotId, "the snapshot was written");
    assert.equal(h.backups.views()[0]?.state, "warning");
  });

  it("files restic cannot read are a warning listing them (exit 3), not a failure", async () => {
    // Real restic without root's read-anything capabilities, so mode 000 really is unreadable.
    const wrapper = join(h.dir, "restic-without-dac");
    writeFileSync(
      wrapper,
      '#!/bin/sh\nexec setpriv --inh-caps=-dac_override,-dac_read_search --bounding-set=-dac_override,-dac_read_search -- restic "$@"\n',
      { mode: 0o755 },
    );
    const secret = join(source, "locked.txt");
    writeFileSync(secret, "private");
    chmodSync(secret, 0o000);
    await h.reopen(job(), { env: PASSWORD_ENV, resticPath: wrapper });
    const run = await h.backups.run("docs", "backup", "manual");
    assert.equal(run.outcome, "warning", JSON.stringify(run));
    const warnings = run.destinations[0]?.warnings ?? [];
    assert.deepEqual(
      warnings.map((w) => w.path),
      [secret],
    );
    assert.match(warnings[0]?.reason ?? "", /permission denied/);
    assert.ok(run.destinations[0]?.summary?.snapshotId);
  });

  it("a failing pre hook skips the run and says which command failed", async () => {
    await h.reopen(job({ hooks: { pre: "echo 'pg_dump: connection refused' >&2; exit 4" } }));
    const run = await h.backups.run("docs", "backup", "manual");
    assert.equal(run.outcome, "failed");
    assert.equal(run.error?.kind, "hook");
    assert.match(run.error?.message ?? "", /exited with 4: pg_dump: connection refused/);
    assert.equal(existsSync(repo), false, "restic never ran");
  });

  it("the post hook hears the outcome", async () => {
    const marker = join(h.dir, "post.txt");
    await h.reopen(
      job({ hooks: { post: `echo "$HEARTH_BACKUP_JOB $HEARTH_BACKUP_STATUS" > '${marker}'` } }),
    );
    await h.backups.run("docs", "backup", "manual");
    assert.equal(execFileSync("cat", [marker]).toString(), "docs ok\n");
  });

  it("applies retention and verifies the repository", async () => {
    await h.reopen(job({ keep: { last: 2 } }));
    for (let i = 0; i < 3; i += 1) {
      writeFileSync(join(source, `note-${i}.txt`), `version ${i}`);
      assert.equal((await h.backups.run("docs", "backup", "manual")).outcome, "ok");
    }
    assert.equal((await h.backups.snapshots("docs")).length, 3, "a backup run forgets nothing");
    assert.equal((await h.backups.run("docs", "forget", "manual")).outcome, "ok");
    assert.equal((await h.backups.snapshots("docs")).length, 2, "forget --prune kept the last 2");
    const check = await h.backups.run("docs", "check", "manual");
    assert.equal(check.outcome, "ok", JSON.stringify(check));
  });

  it("serialises runs of one job: a second start while one runs is refused as busy", async () => {
    const first = h.backups.run("docs", "backup", "manual");
    await assert.rejects(h.backups.run("docs", "backup", "manual"), /already running/);
    assert.equal((await first).outcome, "ok");
  });

  it("leaves out excluded patterns, cache folders and folders marked to skip", async () => {
    mkdirSync(join(source, "node_modules", "left-pad"), { recursive: true });
    writeFileSync(join(source, "node_modules", "left-pad", "index.js"), "x");
    mkdirSync(join(source, "thumbnails"));
    writeFileSync(
      join(source, "thumbnails", "CACHEDIR.TAG"),
      "Signature: 8a477f597d28d172789f06886806bc55",
    );
    writeFileSync(join(source, "thumbnails", "t.jpg"), "x");
    mkdirSync(join(source, "scratch"));
    writeFileSync(join(source, "scratch", ".nobackup"), "");
    writeFileSync(join(source, "scratch", "big-temp.iso"), "x");
    writeFileSync(join(source, "draft.tmp"), "x");
    await h.reopen(
      job({
        excludes: ["node_modules", "*.tmp"],
        excludeCaches: true,
        excludeIfPresent: [".nobackup"],
      }),
    );
    await h.backups.run("docs", "backup", "manual");
    const top = (await h.backups.list("docs", "latest", source)).map((n) => n.name);
    for (const gone of ["node_modules", "draft.tmp"])
      assert.ok(!top.includes(gone), `${gone} left out`);
    const scratch = await h.backups.list("docs", "latest", join(source, "scratch"));
    assert.deepEqual(
      scratch.map((n) => n.name),
      [".nobackup"],
      "a folder holding .nobackup keeps only the marker",
    );
    const thumbs = (await h.backups.list("docs", "latest", join(source, "thumbnails"))).map(
      (n) => n.name,
    );
    assert.deepEqual(thumbs, ["CACHEDIR.TAG"], "restic keeps only the tag of a cache folder");
  });

  it("runs restic niced, as configured, for backups and restores alike", async () => {
    writeFileSync(join(source, "big.bin"), Buffer.alloc(64 << 20, 7));
    await h.reopen(job({ nice: { cpu: 15, ioClass: "idle" } }));
    const backup = await resticPriorities(() => h.backups.run("docs", "backup", "manual"));
    assert.deepEqual(backup, ["idle", "nice 15"]);
    const to = join(h.dir, "niced-restore");
    const restore = await resticPriorities(() => h.backups.restore("docs", "latest", { to }));
    assert.deepEqual(restore, ["idle", "nice 15"], "a restore is niced like the backup");
  });

  it("tells the notification command about a failure, with the job and the reason", async () => {
    const out = join(h.dir, "notified.txt");
    await h.reopen(
      {
        ...job(),
        notify: {
          command: `echo "$HEARTH_BACKUP_JOB $HEARTH_BACKUP_EVENT: $HEARTH_BACKUP_MESSAGE" >> '${out}'`,
        },
      },
      { env: { HEARTH_TEST_RESTIC_PW: "" } },
    );
    await h.backups.run("docs", "backup", "manual");
    assert.match(
      readFileSync(out, "utf8"),
      /^docs failure: backup docs failed: environment variable HEARTH_TEST_RESTIC_PW is empty/m,
    );
  });

  it("a repository opened by hand with restic sees hearth's snapshots", async () => {
    await h.backups.run("docs", "backup", "manual");
    const out = execFileSync("restic", ["-r", repo, "snapshots", "--json"], {
      input: PASSWORD_ENV.HEARTH_TEST_RESTIC_PW,
    }).toString();
    const json = out.slice(out.indexOf("["));
    assert.equal((JSON.parse(json) as unknown[]).length, 1);
    const direct = new Repository({
      target: { id: "x", label: repo, type: "local", repo, args: [], env: {} },
      password: PASSWORD_ENV.HEARTH_TEST_RESTIC_PW,
      cacheDir: join(h.dir, "cache"),
    });
    await direct.check();
  });
});

/** The CPU niceness and I/O class of every restic seen while `work` runs. */
async function resticPriorities(work: () => Promise<unknown>): Promise<string[]> {
  const seen = new Set<string>();
  const look = (pid: string): void => {
    const stat = readProcFile(pid, "stat");
    // An exiting restic has an empty command line and its priorities reset: skip it.
    if (!stat.includes("(restic)") || readProcFile(pid, "cmdline") === "") return;
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    seen.add(`nice ${fields[16]}`);
    try {
      const io = execFileSync("ionice", ["-p", pid]).toString().trim();
      // Still the same live restic after asking? (An exiting one reports "none".)
      if (readProcFile(pid, "cmdline") !== "") seen.add(io);
    } catch {
      // the process ended while we looked
    }
  };
  await watchProcessesDuring(look, work);
  return [...seen].sort();
}
