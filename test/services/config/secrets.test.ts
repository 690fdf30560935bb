import assert from "node:assert/strict";
import { join } from "node:path";
import { HearthError } from "../../../services/errors.js";
import { checkSecrets, loadConfig, resolveSecret } from "../../../services/config/index.js";
import { tempDir } from "./temp-dir.js";

describe("secrets", () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => dir.remove());

  describe("resolveSecret", () => {
    it("reads a file and drops the trailing newline", () => {
      const file = dir.write("gmail", "app password\n");
      assert.equal(resolveSecret({ file }), "app password");
    });

    it("reads an environment variable", () => {
      assert.equal(resolveSecret({ env: "AMI" }, { AMI: "s3cret" }), "s3cret");
    });

    it("names a missing file and the fix", () => {
      const file = join(dir.path, "missing");
      assert.throws(
        () => resolveSecret({ file }),
        (err: unknown) =>
          err instanceof HearthError &&
          err.code === "E_SECRET" &&
          err.message ===
            `secret file ${file} does not exist; create it with the secret on one line (chmod 600 ${file}), or correct the path`,
      );
    });

    it("names an unset variable and the fix", () => {
      assert.throws(
        () => resolveSecret({ env: "HEARTH_AMI_SECRET" }, {}),
        (err: unknown) =>
          err instanceof HearthError &&
          err.code === "E_SECRET" &&
          err.message ===
            "environment variable HEARTH_AMI_SECRET is not set; set HEARTH_AMI_SECRET in hearth's environment (`systemctl edit hearth`: Environment= or EnvironmentFile=), or use { file: … } instead",
      );
    });

    it("refuses an empty secret file", () => {
      const file = dir.write("empty", "\n");
      assert.throws(() => resolveSecret({ file }), /is empty; write the secret into it/);
    });
  });

  describe("checkSecrets", () => {
    function load(yaml: string) {
      return loadConfig({ path: dir.write("hearth.yaml", yaml), env: {} });
    }

    it("reports a missing secret file at its reference", () => {
      const secret = join(dir.path, "secrets", "gmail");
      const loaded = load(
        [
          "pbx:",
          "  voicemail:",
          "    gv-main:",
          "      source: imap",
          "      host: imap.gmail.com",
          "      user: me@gmail.com",
          `      password: { file: ${secret} }`,
          "",
        ].join("\n"),
      );
      assert.deepEqual(checkSecrets(loaded, { env: {} }), [
        {
          file: loaded.file,
          line: 7,
          column: 17,
          path: "pbx.voicemail.gv-main.password",
          message: `secret file ${secret} does not exist; create it with the secret on one line (chmod 600 ${secret}), or correct the path`,
        },
      ]);
    });

    it("reports an unset variable, and is satisfied once it is set", () => {
      const loaded = load(
        "pbx:\n  ami:\n    user: hearth\n    secret: { env: HEARTH_AMI_SECRET }\n",
      );
      const [problem, ...rest] = checkSecrets(loaded, { env: {} });
      assert.deepEqual(rest, []);
      assert.equal(problem?.path, "pbx.ami.secret");
      assert.equal(problem?.line, 4);
      assert.match(problem?.message ?? "", /^environment variable HEARTH_AMI_SECRET is not set;/);
      assert.deepEqual(checkSecrets(loaded, { env: { HEARTH_AMI_SECRET: "x" } }), []);
    });

    it("finds secrets inside lists and union branches, and can check one section", () => {
      const restic = dir.write("restic", "pw\n");
      const loaded = load(
        [
          "pbx:",
          "  ami: { user: hearth, secret: { env: AMI } }",
          "backup:",
          "  jobs:",
          "    docs:",
          "      sources: [/home]",
          `      password: { file: ${restic} }`,
          "      destinations:",
          "        - { type: local, path: /media/usb/b }",
          "        - { type: smb, host: nas, share: b, user: u, password: { env: SMB } }",
          "",
        ].join("\n"),
      );
      const paths = (under?: string[]) =>
        checkSecrets(loaded, { env: {}, ...(under && { under }) }).map((p) => p.path);
      assert.deepEqual(paths(), ["pbx.ami.secret", "backup.jobs.docs.destinations[1].password"]);
      assert.deepEqual(paths(["backup"]), ["backup.jobs.docs.destinations[1].password"]);
    });
  });
});
