import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { freeSipPort, runSipp } from "../fixtures/sip/sipp.js";
import { launchChromium } from "../support/chromium.js";
import { startHearth, type HearthProcess } from "../support/hearth-process.js";

const ENV = { HEARTH_SIP_1001: "kitchen-secret" };

// The Phones page as a household uses it, in headless Chromium against the compiled hearth: a
// desk phone (sipp) registers and its card turns green; "Test lamp on" lights the lamp and
// "Follow mailbox" gives it back; a voicemail source that fails shows red with what to do.
describe("Phones page in headless Chromium", function () {
  this.timeout(120_000);
  let dir: string;
  let hearth: HearthProcess;
  let browser: Browser;
  let page: Page;
  let base: string;
  let sipPort: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-phones-page-"));
    sipPort = await freeSipPort();
    const config = join(dir, "hearth.yaml");
    writeFileSync(
      config,
      [
        "media: { roots: [] }",
        "pbx:",
        `  sip: { port: ${sipPort}, listen: 127.0.0.1, domain: hearth.test }`,
        "  extensions:",
        '    "1001": { name: Kitchen, password: { env: HEARTH_SIP_1001 }, mailbox: family }',
        "  voicemail:",
        '    family: { source: command, command: "echo no such mailbox >&2; exit 3" }',
        "",
      ].join("\n"),
    );
    hearth = await startHearth({ args: ["--config", config, "--listen", "127.0.0.1"], env: ENV });
    base = `http://127.0.0.1:${hearth.port}`;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const password = (
      await readFile(join(hearth.dataDir, "host", "initial-admin-password"), "utf8")
    ).trim();
    await page.goto(base);
    await page.getByLabel("Admin password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#home-view").waitFor({ state: "visible" });
  });
  after(async () => {
    await browser?.close();
    await hearth?.stop();
    hearth?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows a registered phone, its failing mailbox, and lights the lamp on request", async () => {
    const run = await runSipp("register.xml", {
      port: sipPort,
      service: "1001",
      user: "1001",
      password: ENV.HEARTH_SIP_1001,
      keys: { contact_user: "kitchen", expires: "600" },
    });
    assert.ok(run.ok, run.output);
    await page.getByRole("link", { name: "Phones", exact: true }).click();
    await page.locator("h1#phones-title").waitFor();
    const card = page.locator('[data-extension="1001"]');
    assert.match(await card.innerText(), /Registered/);
    assert.match(await card.innerText(), /sipp at UDP 127\.0\.0\.1:\d+/);
    assert.equal(await card.locator("[data-lamp-state]").getAttribute("data-lamp-state"), "off");
    const source = page.locator('[data-source="family"]');
    assert.match((await source.getAttribute("class")) ?? "", /card--degraded/);
    assert.match(await source.innerText(), /no such mailbox/);

    await card.getByRole("button", { name: "Test lamp on" }).click();
    await page.locator('[data-extension="1001"] [data-lamp-state="on"]').waitFor();
    assert.match(await page.locator('[data-extension="1001"]').innerText(), /forced on/);
    await page
      .locator('[data-extension="1001"]')
      .getByRole("button", { name: "Follow mailbox" })
      .click();
    await page.locator('[data-extension="1001"] [data-lamp-state="off"]').waitFor();
  });
});
