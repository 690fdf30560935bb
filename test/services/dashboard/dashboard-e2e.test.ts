import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../../support/chromium.js";
import { startHearth, type HearthProcess } from "../../support/hearth-process.js";

// The whole product as a household meets it: the compiled hearth started with no config file, and
// a real browser. (dashboard-browser.test.ts covers the page's details against scripted states.)
describe("dashboard of a real hearth process, in headless Chromium", function () {
  this.timeout(90_000);
  let hearth: HearthProcess;
  let browser: Browser;
  let base: string;

  before(async () => {
    hearth = await startHearth({ args: ["--listen", "127.0.0.1"] });
    base = `http://127.0.0.1:${hearth.port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await hearth?.stop();
    hearth?.cleanup();
  });

  it("refuses an unauthenticated API call with 401", async () => {
    const res = await fetch(`${base}/api/status`);
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), { error: "login required" });
  });

  it("refuses a wrong password, then logs in with the first-run password and lists the services", async () => {
    const logged = await hearth.waitForLog((l) =>
      /first-run admin password for the dashboard/.test(String(l.msg)),
    );
    const password = (
      await readFile(join(hearth.dataDir, "host", "initial-admin-password"), "utf8")
    ).trim();
    assert.ok(String(logged.msg).includes(password), "the log and the file agree");

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(base);
    const field = page.getByLabel("Admin password", { exact: true });
    await field.fill("wrong-password-1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#login-error").waitFor({ state: "visible" });
    assert.equal(await page.locator("#home-view").isVisible(), false);

    await field.fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#home-view").waitFor({ state: "visible" });
    await page.locator("#live[data-state=live]").waitFor();
    const cards = await page
      .locator("[data-service]")
      .evaluateAll((els) =>
        els.map((c) => [c.getAttribute("data-service"), c.getAttribute("data-state")]),
      );
    assert.deepEqual(cards, [
      ["media", "degraded"],
      ["backup", "ok"],
      ["pbx", "off"],
      ["console", "ok"],
    ]);
    assert.match(
      await page.locator('[data-service="media"]').innerText(),
      /no media folders to share/,
    );
    assert.match(
      await page.locator('[data-service="pbx"]').innerText(),
      /No phones are configured\.[\s\S]*Add extensions under pbx\.extensions/,
    );
    assert.match(await page.locator('[data-service="console"]').innerText(), /Serial consoles/);
    await page.screenshot({
      path: join(process.cwd(), ".test-tmp", "real-process-home.png"),
      fullPage: true,
    });
    await page.close();
  });

  it("pins a player's profile from the Media page", async () => {
    // A player asks for something first, so the page has a row for it.
    const soap = await fetch(`${base}/media/upnp/control/cds`, {
      method: "POST",
      headers: {
        "content-type": 'text/xml; charset="utf-8"',
        soapaction: '"urn:schemas-upnp-org:service:ContentDirectory:1#GetSystemUpdateID"',
        "user-agent": "Kodi/21.1 (X11; Linux x86_64)",
      },
      body: '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:GetSystemUpdateID xmlns:u="urn:schemas-upnp-org:service:ContentDirectory:1"/></s:Body></s:Envelope>',
    });
    assert.equal(soap.status, 200);
    const password = (
      await readFile(join(hearth.dataDir, "host", "initial-admin-password"), "utf8")
    ).trim();
    const page = await browser.newPage();
    await page.goto(base);
    await page.getByLabel("Admin password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#home-view").waitFor({ state: "visible" });
    await page.goto(`${base}/api/media/library`);
    const select = page.getByLabel("Profile for 127.0.0.1");
    assert.match(await select.locator("option:checked").innerText(), /Detect \(Kodi\)/);
    await select.selectOption("samsung-tv");
    await page.getByText("Saved: 127.0.0.1 now gets Samsung TV.").waitFor();
    await page.reload();
    assert.equal(await page.getByLabel("Profile for 127.0.0.1").inputValue(), "samsung-tv");
    await page.close();
  });
});
