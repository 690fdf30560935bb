import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { signedInDashboard } from "../../support/chromium.js";
import { startHearth, type HearthProcess } from "../../support/hearth-process.js";

// The Backups page as a household uses it, in headless Chromium against the compiled hearth:
// back up now, see it turn green, browse and find in the snapshots, restore one file into a new
// folder; and a job whose USB disk is missing shows red with what to do.
describe("Backups page in headless Chromium", function () {
  this.timeout(120_000);
  let dir: string;
  let hearth: HearthProcess;
  let browser: Browser;
  let page: Page;
  let base: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-backup-page-"));
    const source = join(dir, "Documents");
    mkdirSync(join(source, "letters"), { recursive: true });
    writeFileSync(join(source, "letters", "bank & co.txt"), "Dear bank,");
    mkdirSync(join(dir, "usb"));
    const backup = {
      jobs: {
        documents: {
          sources: [source],
          destinations: [{ type: "local", path: join(dir, "repo") }],
          password: { env: "HEARTH_TEST_PW" },
          schedule: "0 3 1 1 *",
        },
        usb: {
          sources: [source],
          destinations: [
            { type: "local", path: join(dir, "usb", "restic"), requireMount: join(dir, "usb") },
          ],
          password: { env: "HEARTH_TEST_PW" },
          schedule: "0 3 1 1 *",
        },
      },
    };
    const config = join(dir, "hearth.yaml");
    writeFileSync(config, `media: { roots: [] }\nbackup: ${JSON.stringify(backup)}\n`);
    hearth = await startHearth({
      args: ["--config", config, "--listen", "127.0.0.1"],
      env: { HEARTH_TEST_PW: "page-test-password" },
    });
    ({ browser, page, base } = await signedInDashboard(hearth.port, hearth.dataDir));
  });
  after(async () => {
    await browser?.close();
    await hearth?.stop();
    hearth?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is in the dashboard's navigation", async () => {
    await page.getByRole("link", { name: "Backups", exact: true }).click();
    await page.locator("h1#backups-title").waitFor();
    assert.equal(await page.locator('[data-job="documents"]').getAttribute("data-state"), "never");
  });

  it("backs up now, turns green, and restores one file found by name into a new folder", async () => {
    await page.goto(`${base}/api/backup/page`);
    await page.locator('[data-job="documents"] button[data-kind="backup"]').click();
    await page.locator('[data-job="documents"][data-state="ok"]').waitFor({ timeout: 60_000 });
    assert.match(
      await page.locator('[data-job="documents"]').innerText(),
      /snapshot [0-9a-f]{8}, 1 new/,
    );

    await page.locator('[data-job="documents"] button[data-snapshots]').click();
    await page.locator("button[data-snapshot]").first().click();
    await page.locator('button[data-open="/tmp"]').waitFor();

    await page.getByLabel("Find a file by name").fill("bank*");
    await page.getByRole("button", { name: "Find" }).click();
    const file = join(dir, "Documents", "letters", "bank & co.txt");
    await page.locator(`li[data-path="${file}"] button[data-restore]`).click();
    const to = join(dir, "restored");
    await page.getByLabel("Into the new folder").fill(to);
    await page.getByRole("button", { name: "Restore", exact: true }).click();
    await page.getByText(`Restored ${file} into ${to}.`).waitFor({ timeout: 60_000 });
    assert.equal(readFileSync(join(to, file), "utf8"), "Dear bank,");

    await page.getByRole("button", { name: "Restore", exact: true }).click();
    await page.getByText(/Restore refused: .* is not empty/).waitFor();
  });

  it("shows a job whose disk is not mounted in red, with what to do", async () => {
    await page.goto(`${base}/api/backup/page`);
    await page.locator('[data-job="usb"] button[data-kind="backup"]').click();
    const card = page.locator('[data-job="usb"][data-state="failed"]');
    await card.waitFor({ timeout: 60_000 });
    assert.match((await card.getAttribute("class")) ?? "", /card--failed/);
    assert.match(await card.innerText(), /not mounted[\s\S]*What to do: Plug in the backup disk/);
    await page.screenshot({
      path: join(process.cwd(), ".test-tmp", "backups-page.png"),
      fullPage: true,
    });
  });
});
