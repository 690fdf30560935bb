import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { DISK_MARKER } from "../../../storage/backup/destinations/mount-guard.js";
import { openHarness, type Harness } from "./support/backup-harness.js";

const env = { HEARTH_TEST_RESTIC_PW: "usb-disk-password" };

function mount(point: string, sizeMiB: number): void {
  execFileSync("mount", ["-t", "tmpfs", "-o", `size=${sizeMiB}m`, "tmpfs", point]);
}
function unmount(point: string): void {
  execFileSync("umount", [point]);
}
function isMounted(point: string): boolean {
  return readFileSync("/proc/self/mountinfo", "utf8")
    .split("\n")
    .some((line) => line.split(" ")[4] === point);
}

// A USB disk is a real tmpfs mounted by the test (root): unplugged, swapped and full disks are
// what households meet, and restic alone would back up onto the bare mount point.
describe("backups to a USB disk (real mounts, real restic)", function () {
  this.timeout(120_000);
  let h: Harness;
  let usb: string;
  let source: string;

  beforeEach(async () => {
    h = await openHarness({ jobs: {} }, { env });
    usb = join(h.dir, "usb");
    source = join(h.dir, "docs");
    mkdirSync(usb);
    mkdirSync(source);
    writeFileSync(join(source, "letter.txt"), "Dear bank,");
    await h.reopen({
      jobs: {
        docs: {
          sources: [source],
          destinations: [{ type: "local", path: join(usb, "restic"), requireMount: usb }],
          password: { env: "HEARTH_TEST_RESTIC_PW" },
        },
      },
    });
  });
  afterEach(async () => {
    while (isMounted(usb)) unmount(usb);
    await h.close();
  });

  it("backs up to the mounted disk and marks it as hearth's", async () => {
    mount(usb, 64);
    const run = await h.backups.run("docs", "backup", "manual");
    assert.equal(run.outcome, "ok", JSON.stringify(run));
    assert.match(readFileSync(join(usb, DISK_MARKER), "utf8"), /^[0-9a-f-]{36}\n$/);
  });

  it("refuses an unplugged disk loudly and writes nothing to the bare mount point", async () => {
    mount(usb, 64);
    await h.backups.run("docs", "backup", "manual");
    unmount(usb);
    const run = await h.backups.run("docs", "backup", "manual");
    assert.equal(run.outcome, "failed");
    assert.equal(run.destinations[0]?.error?.kind, "not-mounted");
    assert.match(run.destinations[0]?.error?.fix ?? "", /mount it at/);
    assert.deepEqual(readdirSync(usb), [], "the bare folder stays empty");
    // The same holds for a disk that was never there: no init on the SD card.
    await h.reopen();
    const never = await h.backups.run("docs", "backup", "manual", { allowInit: true });
    assert.equal(never.destinations[0]?.error?.kind, "not-mounted");
    assert.deepEqual(readdirSync(usb), []);
  });

  it("refuses a different disk mounted at the same place", async () => {
    mount(usb, 64);
    await h.backups.run("docs", "backup", "manual");
    unmount(usb);
    mount(usb, 64); // an empty disk: no marker, no repository
    const run = await h.backups.run("docs", "backup", "manual");
    assert.equal(run.destinations[0]?.error?.kind, "wrong-disk");
    assert.match(
      run.destinations[0]?.error?.fix ?? "",
      new RegExp(`echo [0-9a-f-]{36} > ${usb}/${DISK_MARKER}`),
    );
    assert.deepEqual(readdirSync(usb), []);
  });

  it("a full disk fails with the reason, leaves a sound repository, and the next run works", async () => {
    mount(usb, 16);
    await h.backups.run("docs", "backup", "manual");
    writeFileSync(join(source, "video.bin"), randomBytes(40 * 1024 * 1024));
    const full = await h.backups.run("docs", "backup", "manual");
    assert.equal(full.outcome, "failed");
    assert.equal(full.destinations[0]?.error?.kind, "disk-full", JSON.stringify(full));
    assert.equal(
      (await h.backups.run("docs", "check", "manual")).outcome,
      "ok",
      "restic check is clean",
    );

    execFileSync("mount", ["-o", "remount,size=128m", usb]);
    const next = await h.backups.run("docs", "backup", "manual");
    assert.equal(next.outcome, "ok", JSON.stringify(next));
    assert.equal((await h.backups.run("docs", "check", "manual")).outcome, "ok");
  });
});
