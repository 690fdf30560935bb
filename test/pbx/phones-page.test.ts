import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { AmiReplayer } from "../fixtures/ami/ami-replayer.js";
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

// Click-to-call from the Phones page against test/fixtures/ami/ami-replayer.ts, a TRANSCRIPT
// REPLAYER, NOT ASTERISK (none can be installed here): the form's script posts the call, the
// daemon sends AMI Originate, the replayed OriginateResponse comes back to the page.
describe("Phones page click-to-call in headless Chromium (AMI replayer, not Asterisk)", function () {
  this.timeout(120_000);
  let dir: string;
  let replayer: AmiReplayer;
  let hearth: HearthProcess;
  let browser: Browser;
  let page: Page;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-phones-call-"));
    replayer = await AmiReplayer.start();
    const config = writePbxConfig(
      dir,
      await freeSipPort(),
      { "1001": "{ name: Kitchen, password: { env: HEARTH_SIP_1001 } }" },
      {},
      `{ port: ${replayer.port}, user: hearth, secret: { env: HEARTH_AMI } }`,
    );
    hearth = await startHearth({
      args: ["--config", config, "--listen", "127.0.0.1"],
      env: { ...ENV, HEARTH_AMI: "s3cret" },
    });
    ({ browser, page } = await signedInDashboard(hearth.port, hearth.dataDir));
  });
  after(async () => {
    await browser?.close();
    await hearth?.stop();
    hearth?.cleanup();
    await replayer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("rings the chosen extension, then dials the typed number", async () => {
    await page.getByRole("link", { name: "Phones", exact: true }).click();
    const form = page.locator("form#click-to-call");
    await form.waitFor();
    await form.getByLabel("number to dial").fill("15551234567");
    await form.getByRole("button", { name: "Call" }).click();
    const status = page.locator("#action-status");
    await page.locator("#action-status", { hasText: "answered" }).waitFor();
    assert.equal(await status.innerText(), "1001 answered; Asterisk is dialling 15551234567.");
    const wire = replayer.actions("Originate")[0]?.wire ?? "";
    assert.match(wire, /\r\nChannel: PJSIP\/1001\r\n/);
    assert.match(wire, /\r\nExten: 15551234567\r\n/);
    await page.screenshot({
      path: join(process.cwd(), ".test-tmp", "phones-click-to-call.png"),
      fullPage: true,
    });
  });

  it("does not send a number that is not digits, * # or +", async () => {
    const form = page.locator("form#click-to-call");
    await form.getByLabel("number to dial").fill("555-CALL");
    await form.getByRole("button", { name: "Call" }).click();
    const isValid = await form
      .getByLabel("number to dial")
      .evaluate((input) => (input as unknown as { checkValidity(): boolean }).checkValidity());
    assert.equal(isValid, false);
    // Give a submit that should not happen the time a real one took above.
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(replayer.actions("Originate").length, 1, "no second Originate was sent");
  });
});
