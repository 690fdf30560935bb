import assert from "node:assert/strict";
import { access, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchChromium } from "../../support/chromium.js";
import { testServer, type TestServer } from "../http/test-server.js";
import { householdServices } from "./dashboard-fixture.js";

/** Screenshots land here for a person to look at (git-ignored). */
const SHOTS = join(process.cwd(), ".test-tmp");

describe("dashboard in headless Chromium", function () {
  this.timeout(90_000);
  let t: TestServer;
  let browser: Browser;
  let baseUrl: string;
  let desktop: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  before(async function () {
    await mkdir(SHOTS, { recursive: true });
    t = await testServer({
      services: householdServices(),
      mount: ["media", "pbx", "backup", "console"],
    });
    baseUrl = `http://127.0.0.1:${(await t.server.listen()).port}`;
    // A missing browser fails the suite with the fix; it must never pass by skipping.
    browser = await launchChromium();
    desktop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    page = await desktop.newPage();
    watchErrors(page, pageErrors);
  });

  after(async () => {
    await browser?.close();
    await t?.dispose();
  });

  it("shows the sign-in page and refuses a wrong password with a visible message", async () => {
    await page.goto(baseUrl);
    await page.getByLabel("Admin password", { exact: true }).waitFor();
    await page.screenshot({ path: join(SHOTS, "login-desktop.png") });
    await page.getByLabel("Admin password", { exact: true }).fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    const error = page.locator("#login-error");
    await error.waitFor({ state: "visible" });
    assert.match(await error.innerText(), /password is not right/);
    assert.equal(await page.locator("#home-view").isVisible(), false);
    await page.screenshot({ path: join(SHOTS, "login-wrong-desktop.png") });
  });

  it("signs in with the first-run password and lists every service with its state", async () => {
    await page.getByLabel("Admin password", { exact: true }).fill(t.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#home-view").waitFor({ state: "visible" });
    await page.locator("#live[data-state=live]").waitFor();
    const states = await page
      .locator("[data-service]")
      .evaluateAll((cards) =>
        cards.map((c) => [
          c.getAttribute("data-service"),
          c.getAttribute("data-state"),
          c.querySelector(".badge")?.textContent,
        ]),
      );
    assert.deepEqual(states, [
      ["media", "ok", "Running"],
      ["pbx", "degraded", "Degraded"],
      ["backup", "failed", "Failed"],
      ["console", "off", "Off"],
    ]);
    const backup = await page.locator('[data-service="backup"]').innerText();
    assert.match(backup, /not mounted/);
    assert.match(backup, /What to do: Plug in the USB backup disk/);
    assert.match(backup, /restarted 3 times/);
    assert.match(backup, /next try in 1 min/);
    assert.equal(await page.locator("#host-name").innerText(), "hearthbox");
    assert.equal(await page.locator("#first-run-banner").isVisible(), true);
    assert.equal(
      await page.getByRole("link", { name: "Library" }).first().getAttribute("href"),
      "/api/media/library",
    );
    await page.screenshot({ path: join(SHOTS, "home-desktop.png"), fullPage: true });
  });

  it("shows a state change pushed over Server-Sent Events without a reload", async () => {
    // Strings, not functions: this code runs in the page, and the tests compile without DOM types.
    await page.evaluate("window.notReloaded = true");
    t.status.set("backup", {
      state: "ok",
      reason: undefined,
      fix: undefined,
      nextRestartAt: undefined,
    });
    await page.locator('[data-service="backup"][data-state="ok"]').waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate("window.notReloaded"), true);
    assert.match(await page.locator("#summary").innerText(), /1 service needs attention/);
  });

  it("fits a phone screen (375 px) and shows the first-run password form", async () => {
    const phone = await browser.newContext({
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    await phone.addCookies(await desktop.cookies());
    const small = await phone.newPage();
    watchErrors(small, pageErrors);
    await small.goto(baseUrl);
    await small.locator("#live[data-state=live]").waitFor();
    const overflow = await small.evaluate<number>(
      "document.documentElement.scrollWidth - window.innerWidth",
    );
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than a phone screen`);
    await small.screenshot({ path: join(SHOTS, "home-phone.png"), fullPage: true });
    await small.getByRole("button", { name: "Choose a new password" }).click();
    await small.getByLabel("Current password", { exact: true }).waitFor();
    await small.screenshot({ path: join(SHOTS, "password-form-phone.png") });
    const login = await (
      await browser.newContext({ viewport: { width: 375, height: 812 }, isMobile: true })
    ).newPage();
    await login.goto(baseUrl);
    await login.getByLabel("Admin password", { exact: true }).waitFor();
    await login.screenshot({ path: join(SHOTS, "login-phone.png") });
    await phone.close();
  });

  it("changes the first-run password from the banner and then hides the banner", async () => {
    await page.getByRole("button", { name: "Password", exact: true }).click();
    await page.getByRole("dialog").waitFor();
    await page.screenshot({ path: join(SHOTS, "password-dialog-desktop.png") });
    await page.getByRole("button", { name: "Close" }).click();
    await page.getByRole("button", { name: "Choose a new password" }).click();
    const banner = page.locator("#first-run-banner");
    await banner.getByLabel("Current password", { exact: true }).fill(t.password);
    await banner.getByLabel("New password", { exact: true }).fill("short");
    await banner.getByLabel("Repeat the new password").fill("short");
    await banner.getByRole("button", { name: "Save password" }).click();
    assert.match(await banner.getByRole("alert").innerText(), /at least 10 characters/);
    await banner.getByLabel("New password", { exact: true }).fill("correct horse battery");
    await banner.getByLabel("Repeat the new password").fill("correct horse battery");
    await banner.getByRole("button", { name: "Save password" }).click();
    await banner.waitFor({ state: "hidden" });
    assert.match(await page.locator("#toast").innerText(), /Password saved/);
    await assert.rejects(access(join(t.dataDir, "host", "initial-admin-password")), {
      code: "ENOENT",
    });
  });

  it("has a dark theme that follows the device setting", async () => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: join(SHOTS, "home-desktop-dark.png"), fullPage: true });
    const background = await page.evaluate("getComputedStyle(document.body).backgroundColor");
    assert.equal(background, "rgb(22, 19, 17)");
    await page.emulateMedia({ colorScheme: "light" });
  });

  it("raised no script errors or Content-Security-Policy violations", () => {
    assert.deepEqual(pageErrors, []);
  });
});

function watchErrors(page: Page, errors: string[]): void {
  page.on("pageerror", (err) => errors.push(`page error: ${err.message}`));
  page.on("console", (message) => {
    // A wrong password is answered with 401 on purpose; the browser logs that as a failed resource.
    if (message.type() === "error" && !/status of 401/.test(message.text())) {
      errors.push(`console: ${message.text()}`);
    }
  });
}
