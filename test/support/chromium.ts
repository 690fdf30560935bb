import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { chromium, type Browser } from "playwright-core";

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
