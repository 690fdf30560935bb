import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startS3rver } from "../../fixtures/backup/s3rver.js";
import { startSmbd } from "../../fixtures/backup/smbd.js";
import { startSshd } from "../../fixtures/backup/sshd.js";
import { diffTrees, makeTree } from "../../fixtures/backup/tree.js";
import { readProcFile, watchProcessesDuring } from "../../support/process-watch.js";
import { openHarness, type Harness } from "./support/backup-harness.js";

const RESTIC_PW = "remote-restic-password-4711";

/**
 * Watches every process's command line (and restic's environment) while `work` runs, and
 * returns what leaked: secrets must never show in `ps`, and the repository password never sits
 * in an environment either.
 */
async function leaksDuring(secrets: string[], work: () => Promise<unknown>): Promise<string[]> {
  const leaks = new Set<string>();
  const look = (pid: string): void => {
    const cmdline = readProcFile(pid, "cmdline");
    for (const s of secrets) if (cmdline.includes(s)) leaks.add(`argv of ${cmdline.slice(0, 80)}`);
    if (/(^|\/)restic /.test(cmdline) && readProcFile(pid, "environ").includes(RESTIC_PW))
      leaks.add("restic's environment");
  };
  await watchProcessesDuring(look, work);
  return [...leaks];
}

// Real servers on loopback: Samba's smbd (through rclone's smb backend), OpenSSH's sshd, and an
// S3 server (s3rver over HTTPS with its own CA). Each gets a round trip compared file by file.
describe("backups to remote destinations (real smbd, sshd, s3rver)", function () {
  this.timeout(180_000);
  let h: Harness;
  let source: string;
  const env = { HEARTH_TEST_PW: RESTIC_PW } as Record<string, string>;

  const job = (destination: Record<string, unknown>) => ({
    jobs: {
      docs: { sources: [source], destinations: [destination], password: { env: "HEARTH_TEST_PW" } },
    },
  });
  async function roundTrip(): Promise<void> {
    const run = await h.backups.run("docs", "backup", "manual");
    assert.equal(run.outcome, "ok", JSON.stringify(run));
    const to = join(h.dir, "restored");
    await h.backups.restore("docs", "latest", { to });
    assert.deepEqual(await diffTrees(source, join(to, source)), []);
    assert.equal((await h.backups.run("docs", "check", "manual")).outcome, "ok");
  }

  beforeEach(async () => {
    h = await openHarness({ jobs: {} }, { env });
    source = join(h.dir, "source");
    await makeTree(source, { seed: 11 });
  });
  afterEach(() => h.close());

  describe("SMB share (smbd + rclone)", () => {
    let smb: Awaited<ReturnType<typeof startSmbd>>;
    beforeEach(async () => {
      smb = await startSmbd({ dir: join(h.dir, "smbd") });
      env.HEARTH_TEST_SMB_PW = smb.password;
      env.HOME = join(h.dir, "home");
    });
    afterEach(() => smb.stop());
    const smbDest = (password = "HEARTH_TEST_SMB_PW") => ({
      type: "smb",
      host: smb.host,
      port: smb.port,
      share: smb.share,
      path: "hearth/box",
      user: smb.user,
      password: { env: password },
    });

    it("round-trips with no password in any command line and no rclone config on disk", async () => {
      await h.reopen(job(smbDest()), { env });
      const leaks = await leaksDuring([smb.password, RESTIC_PW], roundTrip);
      assert.deepEqual(leaks, []);
      assert.ok(
        existsSync(join(smb.sharePath, "hearth", "box", "config")),
        "the repository is on the share",
      );
      assert.equal(existsSync(join(env.HOME!, ".config", "rclone")), false);
    });

    it("a wrong SMB password fails as a login problem, with rclone's reason", async () => {
      env.HEARTH_TEST_BAD_PW = "not-the-password";
      await h.reopen(job(smbDest("HEARTH_TEST_BAD_PW")), { env });
      const run = await h.backups.run("docs", "backup", "manual");
      assert.equal(run.outcome, "failed");
      assert.equal(run.destinations[0]?.error?.kind, "auth", JSON.stringify(run));
      assert.match(run.destinations[0]?.error?.fix ?? "", /user and the password/);
    });

    it("an unreachable server fails as unreachable", async () => {
      await smb.stop();
      await h.reopen(job(smbDest()), { env });
      const run = await h.backups.run("docs", "backup", "manual");
      assert.equal(run.destinations[0]?.error?.kind, "unreachable", JSON.stringify(run));
    });
  });

  describe("SFTP (sshd)", () => {
    let ssh: Awaited<ReturnType<typeof startSshd>>;
    beforeEach(async () => {
      ssh = await startSshd({ dir: join(h.dir, "sshd") });
    });
    afterEach(() => ssh.stop());
    const sftpDest = (knownHostsFile: string) => ({
      type: "sftp",
      url: `sftp://${ssh.user}@${ssh.host}:${ssh.port}/${join(h.dir, "sftp-repo")}`,
      identityFile: ssh.identityFile,
      knownHostsFile,
    });

    it("round-trips with a pinned host key", async () => {
      await h.reopen(job(sftpDest(ssh.knownHostsFile)), { env });
      await roundTrip();
    });

    it("refuses a server whose host key is not the pinned one", async () => {
      const wrong = join(h.dir, "wrong_known_hosts");
      const line = readFileSync(ssh.knownHostsFile, "utf8").trim().split(" ");
      // Same host, someone else's key.
      const other = readFileSync(`${ssh.identityFile}.pub`, "utf8").trim().split(" ");
      await import("node:fs").then((fs) =>
        fs.writeFileSync(wrong, `${line[0]} ${other[0]} ${other[1]}\n`),
      );
      await h.reopen(job(sftpDest(wrong)), { env });
      const run = await h.backups.run("docs", "backup", "manual");
      assert.equal(run.outcome, "failed");
      assert.match(
        run.destinations[0]?.error?.fix ?? "",
        /host key/,
        JSON.stringify(run.destinations[0]?.error),
      );
    });
  });

  describe("S3 (s3rver over HTTPS with a private CA)", () => {
    let s3: Awaited<ReturnType<typeof startS3rver>>;
    beforeEach(async () => {
      s3 = await startS3rver({ dir: join(h.dir, "s3") });
      env.HEARTH_TEST_S3_ID = s3.accessKeyId;
      env.HEARTH_TEST_S3_KEY = s3.secretAccessKey;
    });
    afterEach(() => s3.stop());
    const s3Dest = () => ({
      type: "s3",
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      path: "box",
      accessKeyId: { env: "HEARTH_TEST_S3_ID" },
      secretAccessKey: { env: "HEARTH_TEST_S3_KEY" },
      caCertFile: s3.caCertFile,
    });

    it("round-trips with the keys only in restic's environment", async () => {
      await h.reopen(job(s3Dest()), { env });
      const leaks = await leaksDuring([s3.secretAccessKey, RESTIC_PW], roundTrip);
      assert.deepEqual(leaks, []);
    });
  });
});
