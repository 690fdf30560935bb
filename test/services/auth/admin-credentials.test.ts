import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdminCredentials } from "../../../services/auth/admin-credentials.js";
import { HearthError } from "../../../services/errors.js";
import { createLogger } from "../../../services/log/logger.js";

describe("AdminCredentials", () => {
  let dataDir: string;
  const log = createLogger({ level: "silent", isTty: false });
  const open = () => AdminCredentials.open({ dataDir, log, dashboardUrl: "http://box:8200/" });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "hearth-auth-"));
  });
  afterEach(async () => rm(dataDir, { recursive: true, force: true }));

  it("creates a readable first-run password, kept in plain text only in the 0600 initial file", async () => {
    const credentials = await open();
    const password = (await readFile(credentials.initialPasswordFile, "utf8")).trim();
    assert.match(password, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    assert.equal((await stat(credentials.initialPasswordFile)).mode & 0o777, 0o600);
    assert.equal((await stat(credentials.file)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dataDir, "host"))).mode & 0o777, 0o700);
    const stored = await readFile(credentials.file, "utf8");
    assert.ok(!stored.includes(password), "admin.json must not contain the password");
    assert.ok(!stored.includes(password.replace(/-/g, "")));
    const parsed = JSON.parse(stored);
    assert.equal(parsed.passwordHash.kdf, "scrypt");
    assert.equal(parsed.isInitial, true);
    assert.equal(await credentials.verify(password), true);
    assert.equal(await credentials.verify(`${password}x`), false);
    assert.equal(credentials.mustChangePassword, true);
  });

  it("logs the first-run password once, at warn, with the dashboard URL", async () => {
    const lines: string[] = [];
    const capture = createLogger({
      level: "info",
      isTty: false,
      destination: { write: (l: string) => void lines.push(l) },
    });
    const credentials = await AdminCredentials.open({
      dataDir,
      log: capture,
      dashboardUrl: "http://box:8200/",
    });
    const password = (await readFile(credentials.initialPasswordFile, "utf8")).trim();
    await AdminCredentials.open({ dataDir, log: capture, dashboardUrl: "http://box:8200/" });
    const withPassword = lines.filter((l) => l.includes(password));
    assert.equal(withPassword.length, 1);
    assert.match(withPassword[0]!, /"level":"warn"/);
    assert.match(
      withPassword[0]!,
      /first-run admin password for the dashboard at http:\/\/box:8200\/ is /,
    );
    assert.match(lines[1]!, /still in use/);
  });

  it("keeps the password across restarts and replaces it atomically on change", async () => {
    const first = await open();
    const initial = (await readFile(first.initialPasswordFile, "utf8")).trim();
    assert.equal(await (await open()).verify(initial), true);
    assert.equal(await first.setPassword("short"), "too-short");
    assert.equal(await first.setPassword("a much better password"), "changed");
    await assert.rejects(stat(first.initialPasswordFile), { code: "ENOENT" });
    assert.equal((await stat(first.file)).mode & 0o777, 0o600);
    const reopened = await open();
    assert.equal(reopened.mustChangePassword, false);
    assert.equal(await reopened.verify("a much better password"), true);
    assert.equal(await reopened.verify(initial), false);
  });

  it("refuses a damaged admin.json with the fix in the error", async () => {
    const credentials = await open();
    await writeFile(credentials.file, "{ not json");
    await assert.rejects(open(), (err: unknown) => {
      assert.ok(err instanceof HearthError);
      assert.equal(err.code, "E_CONFIG");
      assert.match(err.message, /admin\.json is damaged/);
      assert.match(err.fix ?? "", /move it away .* restart hearth/);
      return true;
    });
  });

  it("treats empty and huge passwords as wrong without hashing them", async () => {
    const credentials = await open();
    assert.equal(await credentials.verify(""), false);
    assert.equal(await credentials.verify("x".repeat(5000)), false);
  });
});
