import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../../services/config/index.js";

// Wrong backup config lines name the file, the line and the fix, like every other section.
describe("backup config errors", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "hearth-backup-cfg-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const problems = (yaml: string): string => {
    const file = join(dir, "hearth.yaml");
    writeFileSync(file, yaml);
    try {
      loadConfig({ path: file, env: {} });
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.format().replaceAll(file, "FILE");
    }
    assert.fail("the config was accepted");
  };
  const job = `    docs:
      sources: [/srv/docs]
      destinations: [{ type: local, path: /media/usb/backup }]
      password: { file: /etc/hearth/secrets/restic }
`;

  it("names a hearthState that is not a job, with the jobs there are", () => {
    assert.match(
      problems(`backup:\n  jobs:\n${job}  hearthState: documents\n`),
      /^FILE:7:16: backup.hearthState: expected the name of a job under backup.jobs \(docs\), got "documents"/,
    );
  });

  it("refuses a user job named like the built-in one", () => {
    assert.match(
      problems(
        `backup:\n  jobs:\n${job.replace("docs:", "hearth-state:")}  hearthState: hearth-state\n`,
      ),
      /backup.jobs.hearth-state: "hearth-state" is the name of hearth's built-in job/,
    );
  });

  it("explains a bad schedule and a bad notify style", () => {
    const text = problems(
      `backup:\n  jobs:\n${job}      schedule: "every night"\n  notify: { url: "https://ntfy.sh/x", style: slack }\n`,
    );
    assert.match(
      text,
      /FILE:7:17: backup.jobs.docs.schedule: expected a cron schedule like "0 3 \* \* \*"/,
    );
    assert.match(text, /FILE:8:46: backup.notify.style: .*json.*ntfy.*healthchecks/);
  });
});
