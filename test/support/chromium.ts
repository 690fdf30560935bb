import { constants } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

/** Debian's Chromium (scripts/setup test installs it); tests never download a browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** Headless, and quiet on a machine with no network beyond loopback. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Launches Chromium, failing with the install command when it is missing (never skipping). */
export async function launchChromium(): Promise<Browser> {
  await access(CHROMIUM, constants.X_OK).catch((err: unknown) => {
    throw new Error(`no Chromium at ${CHROMIUM}: install it with "sudo apt-get install chromium"`, {
      cause: err,
    });
  });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Chromium signed in to a freshly started hearth's dashboard with its initial admin password, on
 * the Overview page: how the page tests begin, as a household's first visit does.
 */
export async function signedInDashboard(
  port: number,
  dataDir: string,
): Promise<{ browser: Browser; page: Page; base: string }> {
  const base = `http://127.0.0.1:${port}`;
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const password = (await readFile(join(dataDir, "host", "initial-admin-password"), "utf8")).trim();
  await page.goto(base);
  await page.getByLabel("Admin password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#home-view").waitFor({ state: "visible" });
  return { browser, page, base };
}
