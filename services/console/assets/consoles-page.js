// The Consoles page's script: the cards' buttons (break and power cycle through the API) and the
// browser terminal, xterm.js on the attach WebSocket: binary frames carry terminal bytes both ways,
// text frames JSON control (hello/role/notice/error in; force/spectate/attach/break out).
// Not @xterm/addon-attach: it sends keystrokes as text frames (shared/notes/consoles.md §6).
/* global document, fetch, location, confirm, setInterval, WebSocket, TextEncoder, DOMParser,
   ResizeObserver, MutationObserver, CSSStyleSheet */
const $ = (id) => document.getElementById(id);
const actionStatus = $("action-status");
const panel = $("terminal-panel");
const screen = $("terminal-screen");
const terminalStatus = $("terminal-status");
const roleBadge = $("terminal-role");
const takeOverButton = $("terminal-take-over");
const reconnectButton = $("terminal-reconnect");
const encoder = new TextEncoder();
const REFRESH_MS = 10_000;

/** The open terminal: { port, mode, term, ws, lastNotice, cleanup }, or undefined. */
let terminal;
/** Bumped by every open and close, so a slow xterm load does not open a terminal closed since. */
let opening = 0;

function say(element, text, tone) {
  element.textContent = text;
  if (tone) element.dataset.tone = tone;
  else delete element.dataset.tone;
}

async function csrfToken() {
  const session = await fetch("/api/session", { credentials: "same-origin" }).then((r) => r.json());
  return session.csrfToken ?? "";
}

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "content-type": "application/json", "x-csrf-token": await csrfToken() },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = json.error ?? `hearth answered ${response.status}`;
    throw new Error(json.fix ? `${error}. ${json.fix}` : error);
  }
  return json;
}

/** Re-reads the cards and the summary from the page itself: one renderer, on the server. */
async function refreshPorts() {
  try {
    const response = await fetch("page", { credentials: "same-origin" });
    if (!response.ok) return; // signed out or hearth restarting: the next refresh tries again
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const id of ["ports", "consoles-summary"]) {
      const shown = $(id);
      const next = fresh.getElementById(id);
      if (shown && next && shown.outerHTML !== next.outerHTML)
        shown.replaceWith(document.adoptNode(next));
    }
  } catch {
    // A network blip: the cards keep what they showed, and the next refresh tries again.
  }
}

async function cardAction(button, path, body, pending, done) {
  button.disabled = true;
  say(actionStatus, pending);
  try {
    await post(path, body);
    say(actionStatus, done, "ok");
  } catch (err) {
    say(actionStatus, err.message, "error");
  } finally {
    button.disabled = false;
    await refreshPorts();
  }
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  const { terminal: port, mode, break: breakPort, power: powerPort } = button.dataset;
  if (port) void openTerminal(port, mode);
  else if (breakPort)
    void cardAction(
      button,
      `ports/${encodeURIComponent(breakPort)}/break`,
      {},
      `Sending a break to ${breakPort}…`,
      `Break sent to ${breakPort}.`,
    );
  else if (powerPort) {
    const question = `Power-cycle the board on ${powerPort}? It loses power for a moment and restarts.`;
    if (!confirm(question)) return;
    void cardAction(
      button,
      `ports/${encodeURIComponent(powerPort)}/power`,
      { action: "cycle" },
      `Power-cycling the board on ${powerPort}…`,
      `The board on ${powerPort} was power-cycled.`,
    );
  }
});

async function openTerminal(port, mode) {
  closeTerminal();
  const ticket = ++opening;
  let modules;
  try {
    modules = await Promise.all([import("./xterm/xterm.mjs"), import("./xterm/addon-fit.mjs")]);
  } catch (err) {
    say(actionStatus, `The terminal could not be loaded: ${err.message}`, "error");
    return;
  }
  if (ticket !== opening) return;
  const [{ Terminal }, { FitAddon }] = modules;
  panel.hidden = false;
  $("terminal-title").textContent = `Terminal: ${port}`;
  screen.replaceChildren();
  const stopStyles = mirrorInlineStyles(screen);
  // No typing until the server said this page is the writer.
  const term = new Terminal({ disableStdin: true, cursorBlink: true, scrollback: 5000 });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.open(screen);
  fit.fit();
  const resize = new ResizeObserver(() => fit.fit());
  resize.observe(screen);
  term.onData((text) => sendBytes(encoder.encode(text)));
  // onBinary gives a "binary string", one char per byte (some mouse reports): send those bytes.
  term.onBinary((text) => sendBytes(Uint8Array.from(text, (ch) => ch.charCodeAt(0) & 0xff)));
  const cleanup = () => {
    resize.disconnect();
    term.dispose();
    stopStyles();
  };
  terminal = { port, mode, term, ws: undefined, lastNotice: "", cleanup };
  connect(terminal);
  panel.scrollIntoView({ block: "nearest" });
  term.focus();
}

function connect(t) {
  const url = new URL(`ports/${encodeURIComponent(t.port)}/attach?mode=${t.mode}`, location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url);
  ws.binaryType = "arraybuffer";
  t.ws = ws;
  t.lastNotice = "";
  reconnectButton.hidden = true;
  showRole(undefined);
  say(terminalStatus, "Connecting…");
  ws.onmessage = (event) => {
    if (typeof event.data !== "string") t.term.write(new Uint8Array(event.data));
    else control(t, event.data);
  };
  ws.onclose = (event) => {
    if (terminal !== t || t.ws !== ws) return; // closed here: panel closed or reconnecting
    showRole(undefined);
    const why = event.reason || (event.wasClean ? "hearth ended the session" : "connection lost");
    const last = t.lastNotice ? ` (last notice: ${t.lastNotice})` : "";
    say(terminalStatus, `Disconnected: ${why}${last}.`, "error");
    reconnectButton.hidden = false;
    void refreshPorts();
  };
}

function control(t, text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return; // not ours to show: the server only sends JSON control frames as text
  }
  if (message.type === "hello") {
    showRole(message.role);
    if (!t.lastNotice)
      say(terminalStatus, `Connected to ${message.port} (port ${message.state}).`, "ok");
    void refreshPorts();
  } else if (message.type === "role") showRole(message.role);
  else if (message.type === "notice") {
    t.lastNotice = message.text;
    say(terminalStatus, message.text);
  } else if (message.type === "error") say(terminalStatus, message.text, "error");
}

function showRole(role) {
  const isWriter = role === "writer";
  roleBadge.textContent = role === undefined ? "Not connected" : isWriter ? "Writing" : "Watching";
  roleBadge.className = `badge badge--${role === undefined ? "off" : isWriter ? "ok" : "starting"}`;
  takeOverButton.hidden = role !== "spectator";
  if (!terminal) return;
  terminal.term.options.disableStdin = !isWriter;
  if (isWriter) terminal.mode = "rw"; // a reconnect asks to write again
}

function sendBytes(bytes) {
  if (terminal?.ws?.readyState === WebSocket.OPEN) terminal.ws.send(bytes);
}

function sendControl(message) {
  if (terminal?.ws?.readyState === WebSocket.OPEN) terminal.ws.send(JSON.stringify(message));
}

function closeTerminal() {
  opening++;
  const t = terminal;
  if (!t) return;
  terminal = undefined;
  t.ws?.close(1000, "terminal closed");
  t.cleanup();
  panel.hidden = true;
  say(terminalStatus, "");
}

/**
 * xterm's DOM renderer puts its colours and sizes in <style> elements, which the dashboard's CSP
 * (style-src 'self') refuses to apply. Constructed stylesheets are not inline markup, so each one
 * is mirrored into one of those. Returns the function that stops it.
 */
function mirrorInlineStyles(root) {
  const sheets = new Map(); // <style> element → { sheet, text }
  const sync = () => {
    let isChanged = false;
    for (const style of root.querySelectorAll("style")) {
      const entry = sheets.get(style) ?? { sheet: new CSSStyleSheet(), text: undefined };
      if (entry.text === style.textContent) continue;
      entry.text = style.textContent;
      entry.sheet.replaceSync(entry.text);
      sheets.set(style, entry);
      isChanged = true;
    }
    for (const style of sheets.keys()) {
      if (style.isConnected) continue;
      sheets.delete(style);
      isChanged = true;
    }
    if (isChanged) document.adoptedStyleSheets = [...sheets.values()].map((e) => e.sheet);
  };
  const observer = new MutationObserver(sync);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  return () => {
    observer.disconnect();
    document.adoptedStyleSheets = [];
  };
}

takeOverButton.addEventListener("click", () => sendControl({ type: "force" }));
$("terminal-break").addEventListener("click", () => {
  say(terminalStatus, "Sending a break…");
  sendControl({ type: "break" });
});
reconnectButton.addEventListener("click", () => {
  if (!terminal) return;
  terminal.term.reset(); // the replay comes again: start from a clean screen
  connect(terminal);
  terminal.term.focus();
});
$("terminal-close").addEventListener("click", () => {
  closeTerminal();
  void refreshPorts();
});
setInterval(() => {
  const isBusyHere = $("ports")?.contains(document.activeElement);
  if (document.visibilityState === "visible" && !isBusyHere) void refreshPorts();
}, REFRESH_MS);
