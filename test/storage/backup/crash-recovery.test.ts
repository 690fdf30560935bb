import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import pino from "pino";
import { backupConfigSchema } from "../../../storage/backup/config-schema.js";
import { Backups } from "../../../storage/backup/index.js";
import { Catalog } from "../../../storage/catalog/index.js";
import { MAIN } from "../../support/hearth-process.js";

const PASSWORD = "kill-me-password";
const SUBREAPER = new URL("../../support/subreaper.py", import.meta.url).pathname;

// `kill -9` of hearth and its restic half way through a backup (a power cut, the OOM killer):
// the next run must work and leave a repository that `restic check` passes without help.
describe("backups after SIGKILL mid-run (real hearth CLI, real restic)", function () {
  this.timeout(180_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "hearth-backup-kill-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("records the interrupted run, clears the stale lock, and the next run and check are clean", async () => {
    const source = join(dir, "source");
    const repo = join(dir, "repo");
    const data = join(dir, "data");
    mkdirSync(source);
    // Enough incompressible data that restic is still writing when it is killed.
    for (let i = 0; i < 6; i += 1)
      writeFileSync(join(source, `big-${i}.bin`), randomBytes(48 << 20));
    const config = join(dir, "hearth.yaml");
    const backupSection = {
      jobs: {
        docs: {
          sources: [source],
          destinations: [{ type: "local", path: repo }],
          password: { env: "HEARTH_TEST_PW" },
          schedule: "0 3 1 1 *",
        },
      },
    };
    writeFileSync(config, `media: { roots: [] }\nbackup: ${JSON.stringify(backupSection)}\n`);
    const env = { ...process.env, HEARTH_TEST_PW: PASSWORD };
    execFileSync("restic", ["-r", repo, "init"], {
      input: PASSWORD,
      stdio: ["pipe", "ignore", "ignore"],
    });

    const reaper = spawn(
      "python3",
      [SUBREAPER, process.execPath, MAIN, "backup", "run", "docs", "-c", config, "-d", data],
      {
        env,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = new Promise((resolve) => reaper.once("exit", resolve));
    const firstLine = await new Promise<string>((resolve) =>
      createInterface({ input: reaper.stdout }).once("line", resolve),
    );
    const cliPid = Number(firstLine);
    // Wait for restic to hold its lock and have written data, then kill the whole group at once.
    const deadline = Date.now() + 60_000;
    while (!(
      existsSync(join(repo, "locks")) &&
      readdirSync(join(repo, "locks")).length > 0 &&
      dataPacks(repo) > 0
    )) {
      assert.ok(Date.now() < deadline, "restic never started writing");
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(-cliPid, "SIGKILL");
    await exited; // every process of the group has been reaped
    assert.equal(
      readdirSync(join(repo, "locks")).length,
      1,
      "the killed restic left its lock behind",
    );
    const marker = await catalogValue(data, "running/docs");
    assert.ok(marker, "the run was under way in the catalog when it died");

    // The next start: the daemon (here the engine in-process, same data dir) picks up.
    const catalog = await Catalog.open({ dir: join(data, "catalog") });
    try {
      const backups = new Backups({
        config: backupConfigSchema.parse(backupSection),
        catalog: catalog.namespace("backup"),
        dataDir: join(data, "backup"),
        log: pino({ level: "silent" }),
        env,
      });
      const interrupted = await backups.open();
      assert.deepEqual(
        interrupted.map((r) => [r.job, r.outcome]),
        [["docs", "interrupted"]],
      );
      const next = await backups.run("docs", "backup", "manual");
      assert.equal(next.outcome, "ok", JSON.stringify(next));
      assert.deepEqual(readdirSync(join(repo, "locks")), [], "the stale lock is gone");
      const history = await backups.history("docs", "backup");
      assert.deepEqual(
        history.map((r) => r.outcome),
        ["ok", "interrupted"],
      );
    } finally {
      await catalog.close();
    }
    // Bare restic, no unlock: the repository is sound and free.
    execFileSync("restic", ["-r", repo, "check"], {
      input: PASSWORD,
      stdio: ["pipe", "ignore", "pipe"],
    });
  });
});

function dataPacks(repo: string): number {
  const data = join(repo, "data");
  if (!existsSync(data)) return 0;
  return readdirSync(data).reduce((n, sub) => n + readdirSync(join(data, sub)).length, 0);
}

async function catalogValue(data: string, key: string): Promise<unknown> {
  const catalog = await Catalog.open({ dir: join(data, "catalog") });
  try {
    return await catalog.namespace("backup").get(key);
  } finally {
    await catalog.close();
  }
}
