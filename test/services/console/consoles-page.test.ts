import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { BOOT_DONE, startFakeBoard, type FakeBoard } from "../../fixtures/serial/fake-board.js";
import { startPtyPair, type PtyPair } from "../../fixtures/serial/pty-pair.js";
import { signedInDashboard } from "../../support/chromium.js";
import { sleep, startHearth, type HearthProcess } from "../../support/hearth-process.js";

const SHOTS = join(process.cwd(), ".test-tmp");
const WAIT_MS = 20_000;

// The Consoles page as someone at the box uses it, in headless Chromium against the compiled
// hearth: a fake board behind a socat pty pair (an adapter without hardware) with its power
// switched by a command that writes the board's power file. The terminal replays the boot log,
// types into the board's shell, a second page watches without typing, break answers with why
// it cannot work on a pty, and a power cycle shows the board booting again.
describe("Consoles page in headless Chromium", function () {
  this.timeout(120_000);
  let dir: string;
  let pair: PtyPair;
  let board: FakeBoard;
  let hearth: HearthProcess;
  let browser: Browser;
  let page: Page;
  let base: string;
  const pageErrors: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-consoles-page-"));
    mkdirSync(SHOTS, { recursive: true });
    pair = await startPtyPair({ dir });
    const powerFile = join(dir, "power");
    writeFileSync(powerFile, "on\n");
    const config = writeConfig(dir, [
      "console:",
      "  autoDiscover: false",
      "  ports:",
      "    board:",
      `      path: ${pair.hostPath}`,
      `      power: { driver: command, on: "echo on > ${powerFile}", off: "echo off > ${powerFile}", cycleSeconds: 1 }`,
    ]);
    hearth = await startHearth({ args: ["--config", config, "--listen", "127.0.0.1"] });
    // The board boots when it first opens its end; hearth must hold the port by then, since
    // opening a port flushes what waited in it.
    await hearth.waitForLog((e) => e.port === "board" && e.state === "open");
    board = await startFakeBoard({ boardPath: pair.boardPath, powerFile });
    ({ browser, page, base } = await signedInDashboard(hearth.port, hearth.dataDir));
    page.on("pageerror", (err) => pageErrors.push(err.message));
  });
  after(async () => {
    await browser?.close();
    await hearth?.stop();
    hearth?.cleanup();
    await board?.stop();
    await pair?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists the port as open with its line settings and power switch", async () => {
    await page.getByRole("link", { name: "Consoles", exact: true }).click();
    await page.locator("h1#consoles-title").waitFor();
    const card = page.locator('[data-port="board"]');
    assert.equal(await card.getAttribute("data-state"), "open");
    const text = await card.innerText();
    assert.match(text, /Open/);
    assert.match(text, /115200 8N1 on /);
    assert.ok(text.includes(pair.hostPath), text);
    assert.match(text, /Nobody is attached\./);
    assert.match(text, /Power: command/);
    assert.equal(await card.getByRole("button", { name: "Power cycle" }).count(), 1);
  });

  it("opens a terminal that replays the boot log and types into the board", async () => {
    await page
      .locator('[data-port="board"]')
      .getByRole("button", { name: "Open terminal" })
      .click();
    await page.locator("#terminal-role", { hasText: "Writing" }).waitFor();
    await waitForTerminal(page, new RegExp(`U-Boot 2023\\.04[\\s\\S]*${escape(BOOT_DONE)}`));
    // xterm's own <style> elements are refused by the dashboard's CSP; the page mirrors them.
    assert.equal(
      await page.evaluate<string>(
        'getComputedStyle(document.querySelector("#terminal-screen .xterm-rows")).whiteSpace',
      ),
      "pre",
    );
    await page.locator("#terminal-screen").click();
    await page.keyboard.type("echo from-browser");
    await page.keyboard.press("Enter");
    assert.equal(await board.waitFor(/^run: /), "run: echo from-browser");
    await waitForTerminal(page, /^from-browser\s*$/m);
    await page.locator('[data-port="board"] [data-clients]', { hasText: "Writing:" }).waitFor();
    await page.screenshot({ path: join(SHOTS, "consoles-page.png"), fullPage: true });
  });

  it("lets a second page watch without ever typing, and take over on request", async () => {
    // Signed in as the same household (its own tab in another window).
    const session = await page.context().storageState();
    const watcher = await browser.newPage({
      storageState: session,
      viewport: { width: 1280, height: 900 },
    });
    watcher.on("pageerror", (err) => pageErrors.push(`watcher: ${err.message}`));
    const sentBinary: number[] = [];
    watcher.on("websocket", (ws) =>
      ws.on("framesent", (frame) => {
        if (typeof frame.payload !== "string") sentBinary.push(frame.payload.length);
      }),
    );
    await watcher.goto(`${base}/api/console/page`);
    await watcher.locator('[data-port="board"]').getByRole("button", { name: "Watch" }).click();
    await watcher.locator("#terminal-role", { hasText: "Watching" }).waitFor();
    await waitForTerminal(watcher, /^from-browser\s*$/m); // the replay

    await watcher.locator("#terminal-screen").click();
    await watcher.keyboard.type("echo from-watcher");
    await watcher.keyboard.press("Enter");
    // The writer's next line reaches the board alone: no watcher byte got in before it.
    await page.locator("#terminal-screen").click();
    await page.keyboard.type("echo to-watchers");
    await page.keyboard.press("Enter");
    assert.equal(await board.waitFor(/^run: /), "run: echo to-watchers");
    await waitForTerminal(watcher, /^to-watchers\s*$/m);
    assert.deepEqual(sentBinary, [], "the watching page sent keystrokes");
    assert.ok(!board.events().some((e) => e.includes("from-watcher")), board.events().join("\n"));

    await watcher.getByRole("button", { name: "Take over" }).click();
    await watcher.locator("#terminal-role", { hasText: "Writing" }).waitFor();
    await page.locator("#terminal-role", { hasText: "Watching" }).waitFor();
    await page.getByRole("button", { name: "Take over" }).click();
    await page.locator("#terminal-role", { hasText: "Writing" }).waitFor();
    await watcher.locator("#terminal-role", { hasText: "Watching" }).waitFor();
    await watcher.context().close();
  });

  it("shows hearth's answer to a break, which a pty cannot send", async () => {
    await page.getByRole("button", { name: "Send break" }).click();
    const status = page.locator('#terminal-status[data-tone="error"]');
    await status.waitFor();
    assert.match(await status.innerText(), /^cannot send a break on board: /);

    await page.locator('[data-port="board"]').getByRole("button", { name: "Break" }).click();
    const answer = page.locator('#action-status[data-tone="error"]');
    await answer.waitFor();
    assert.match(
      await answer.innerText(),
      /^cannot send a break on board: .+\. Breaks need a real serial adapter/,
    );
  });

  it("power-cycles the board after asking, and the terminal shows it booting again", async () => {
    await page.locator("#terminal-screen").click();
    await page.keyboard.type("echo before-cycle");
    await page.keyboard.press("Enter");
    await waitForTerminal(page, /^before-cycle\s*$/m);
    const asked = new Promise<string>((resolve) =>
      page.once("dialog", (dialog) => {
        resolve(`${dialog.type()}: ${dialog.message()}`);
        void dialog.accept();
      }),
    );
    await page.locator('[data-port="board"]').getByRole("button", { name: "Power cycle" }).click();
    assert.match(await asked, /^confirm: Power-cycle the board on board\?/);
    await board.waitFor("power off");
    await board.waitFor("power on");
    await waitForTerminal(
      page,
      new RegExp(`^before-cycle\\s*$[\\s\\S]*U-Boot 2023\\.04[\\s\\S]*${escape(BOOT_DONE)}`, "m"),
    );
    await page.locator("#action-status", { hasText: "was power-cycled" }).waitFor();
    await page
      .locator('[data-port="board"] [data-power]', { hasText: /last: cycle by .+ done/ })
      .waitFor();
  });

  it("shows the adapter going away and back as notices beside the terminal, not in it", async () => {
    await pair.unplug();
    await page.locator("#terminal-status", { hasText: "serial adapter unplugged" }).waitFor();
    await pair.replug();
    await page.locator("#terminal-status", { hasText: `port open (${pair.hostPath})` }).waitFor();
    await page.locator("#terminal-role", { hasText: "Writing" }).waitFor();
    assert.doesNotMatch(
      await page.locator("#terminal-screen .xterm-rows").innerText(),
      /unplugged|port open/,
    );
    assert.deepEqual(pageErrors, []);
  });
});

describe("Consoles page with no consoles", function () {
  this.timeout(60_000);
  let dir: string;
  let hearth: HearthProcess;
  let browser: Browser;

  after(async () => {
    await browser?.close();
    await hearth?.stop();
    hearth?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("tells the user how to get one", async () => {
    dir = mkdtempSync(join(tmpdir(), "hearth-consoles-empty-"));
    const config = writeConfig(dir, ["console: { autoDiscover: false }"]);
    hearth = await startHearth({ args: ["--config", config, "--listen", "127.0.0.1"] });
    let page: Page;
    ({ browser, page } = await signedInDashboard(hearth.port, hearth.dataDir));
    await page.getByRole("link", { name: "Consoles", exact: true }).click();
    const empty = page.locator("[data-empty]");
    await empty.waitFor();
    const text = await empty.innerText();
    assert.match(text, /No serial consoles yet\./);
    assert.match(text, /console\.autoDiscover: false/);
    assert.match(text, /name the port under console\.ports .*etc\/hearth\.example\.yaml/);
    assert.equal(await page.locator("#consoles-summary").innerText(), "0 consoles, 0 open");
    await page.screenshot({ path: join(SHOTS, "consoles-page-empty.png"), fullPage: true });
  });
});

function writeConfig(dir: string, lines: string[]): string {
  const config = join(dir, "hearth.yaml");
  writeFileSync(config, ["media: { roots: [] }", ...lines, ""].join("\n"));
  return config;
}

/** Waits until the visible rows of the page's terminal match `pattern`. */
async function waitForTerminal(page: Page, pattern: RegExp): Promise<void> {
  const rows = page.locator("#terminal-screen .xterm-rows");
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const shown = await rows.innerText();
    if (pattern.test(shown)) return;
    if (Date.now() > deadline)
      throw new Error(`the terminal never showed ${String(pattern)}; it shows:\n${shown}`);
    await sleep(50);
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
