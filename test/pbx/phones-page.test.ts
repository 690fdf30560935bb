import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { freeSipPort } from "../fixtures/sip/sipp.js";
import { registerPhone, writePbxConfig } from "./pbx-daemon.js";
import { signedInDashboard } from "../support/chromium.js";
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
  let sipPort: number;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-phones-page-"));
    sipPort = await freeSipPort();
    const config = writePbxConfig(
      dir,
      sipPort,
      { "1001": "{ name: Kitchen, password: { env: HEARTH_SIP_1001 }, mailbox: family }" },
      { family: '{ source: command, command: "echo no such mailbox >&2; exit 3" }' },
    );
    hearth = await startHearth({ args: ["--config", config, "--listen", "127.0.0.1"], env: ENV });
    ({ browser, page } = await signedInDashboard(hearth.port, hearth.dataDir));
  });
  after(async () => {
    await browser?.close();
    await hearth?.stop();
    hearth?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows a registered phone, its failing mailbox, and lights the lamp on request", async () => {
    const run = await registerPhone(sipPort, "1001", ENV.HEARTH_SIP_1001, "kitchen");
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

    await page.screenshot({
      path: join(process.cwd(), ".test-tmp", "phones-page.png"),
      fullPage: true,
    });
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
