import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { Catalog } from "../../../storage/catalog/index.js";
import { backupJobSchema } from "../../../storage/backup/config-schema.js";
import { BackupStore } from "../../../storage/backup/runs/backup-store.js";
import { BackupScheduler } from "../../../storage/backup/schedule/backup-scheduler.js";

const job = backupJobSchema.parse({
  sources: ["/srv/docs"],
  destinations: [{ type: "local", path: "/media/usb/backup" }],
  password: { env: "X" },
  schedule: "0 3 * * *",
  check: { schedule: "0 4 * * 0" },
});

// Catch-up after downtime, on a real catalog: the box was off at 03:00, so the backup runs
// shortly after it comes back, once.
describe("backup scheduler catch-up", () => {
  let dir: string;
  let catalog: Catalog;
  let store: BackupStore;
  let scheduler: BackupScheduler | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-sched-"));
    catalog = await Catalog.open({ dir });
    store = new BackupStore(catalog.namespace("backup"));
  });
  afterEach(async () => {
    scheduler?.stop();
    await catalog.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function start(now: Date) {
    const due: string[] = [];
    scheduler = new BackupScheduler({
      jobs: { docs: job },
      store,
      catchUpDelayMs: 0,
      onDue: (name, kind, trigger) => due.push(`${name} ${kind} ${trigger}`),
      log: pino({ level: "silent" }),
      now: () => now,
    });
    return { due, started: scheduler.start() };
  }
  const tick = () => new Promise((r) => setTimeout(r, 50));

  it("a job seen for the first time starts counting from now: no run at start", async () => {
    const now = new Date("2026-03-10T12:00:00");
    const { due, started } = start(now);
    await started;
    await tick();
    assert.deepEqual(due, []);
    assert.equal(await store.slot("docs", "backup"), now.toISOString());
  });

  it("a slot missed while the box was off runs once, soon after start", async () => {
    await store.setSlot("docs", "backup", new Date("2026-03-08T03:00:00").toISOString());
    await store.setSlot("docs", "check", new Date("2026-03-08T04:00:00").toISOString());
    const { due, started } = start(new Date("2026-03-10T12:00:00"));
    await started;
    await tick();
    assert.deepEqual(due, ["docs backup catch-up"], "the weekly check's slot had not come yet");
    assert.equal(await store.slot("docs", "backup"), new Date("2026-03-10T03:00:00").toISOString());
  });

  it("nothing runs when the last slot was taken", async () => {
    await store.setSlot("docs", "backup", new Date("2026-03-10T03:00:00").toISOString());
    const { due, started } = start(new Date("2026-03-10T12:00:00"));
    await started;
    await tick();
    assert.deepEqual(due, []);
    assert.ok(scheduler?.nextRun("docs"), "the next slot is known");
  });
});
