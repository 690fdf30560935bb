import { escapeHtml as esc } from "../http/escape-html.js";
import { pageShell } from "../http/page-shell.js";
import type { ConsolePortView } from "./console-port.js";
import type { ConsolesStatus } from "./consoles.js";

/**
 * The Consoles page: one card per serial console (state, line settings, who is attached, the last
 * lines the board printed, TCP address, power) with buttons to open a terminal, watch, send a
 * break and power-cycle the board, and a terminal panel that consoles-page.js fills with xterm.js.
 * It never reloads itself (that would cut an open terminal): the script re-reads `#ports` and
 * `#consoles-summary` from this page instead.
 */
export function consolesPage(status: ConsolesStatus): string {
  return pageShell({
    title: "Consoles",
    path: "page",
    script: "consoles-page.js",
    body: `<link rel="stylesheet" href="xterm/xterm.css"><link rel="stylesheet" href="consoles-page.css">
<section class="services consoles" aria-labelledby="consoles-title">
<div class="section-head"><h1 id="consoles-title">Consoles</h1>${summary(status)}</div>
<p class="card-fine" id="action-status" role="status"></p>
${terminalPanel()}
<div id="ports">${problem(status)}${warnings(status.warnings)}${
      status.ports.length
        ? `<ul class="cards">${status.ports.map(portCard).join("")}</ul>`
        : emptyState(status.autoDiscover)
    }</div>
</section>`,
  });
}

function summary(status: ConsolesStatus): string {
  const count = status.ports.length;
  const open = status.ports.filter((p) => p.state === "open").length;
  const text = `${count} console${count === 1 ? "" : "s"}, ${open} open${status.autoDiscover ? "; new USB serial adapters get a console by themselves" : ""}`;
  const tone = status.health.state === "ok" ? "ok" : "attention";
  return `<p class="summary" id="consoles-summary" data-tone="${tone}">${esc(text)}</p>`;
}

function problem(status: ConsolesStatus): string {
  if (status.health.state === "ok") return "";
  const fix = status.health.fix
    ? `<p class="card-fix"><strong>What to do:</strong> ${esc(status.health.fix)}</p>`
    : "";
  return `<div class="consoles-problem"><p class="card-reason">${esc(status.health.reason ?? "")}</p>${fix}</div>`;
}

function warnings(list: string[]): string {
  if (list.length === 0) return "";
  return `<ul class="card-fine consoles-warnings" aria-label="Warnings">${list.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>`;
}

function emptyState(autoDiscover: boolean): string {
  const how = autoDiscover
    ? "Plug in a USB serial adapter: every adapter under <code>/dev/serial/by-id</code> gets a console by itself, named after the adapter, and shows up here."
    : "Automatic discovery is off (<code>console.autoDiscover: false</code>): turn it on to give every USB serial adapter under <code>/dev/serial/by-id</code> a console by itself.";
  return `<div class="consoles-empty" data-empty><p><strong>No serial consoles yet.</strong></p><p>${how}</p><p>To choose the name, speed, a TCP port or power control, name the port under <code>console.ports</code> in the config file (see <code>etc/hearth.example.yaml</code>).</p></div>`;
}

/** The terminal panel; hidden until a terminal is opened. consoles-page.js owns its contents. */
function terminalPanel(): string {
  return `<section class="terminal-panel" id="terminal-panel" aria-labelledby="terminal-title" hidden>
<div class="terminal-head"><h2 id="terminal-title">Terminal</h2><span class="badge" id="terminal-role"></span>
<span class="terminal-actions"><button type="button" class="button button--quiet" id="terminal-take-over" hidden>Take over</button> <button type="button" class="button button--quiet" id="terminal-break">Send break</button> <button type="button" class="button button--quiet" id="terminal-reconnect" hidden>Reconnect</button> <button type="button" class="button button--quiet" id="terminal-close">Close</button></span></div>
<p class="card-fine terminal-status" id="terminal-status" role="status"></p>
<div class="terminal-screen" id="terminal-screen"></div>
</section>`;
}

const LOOKS: Record<ConsolePortView["state"], { card: string; badge: string }> = {
  open: { card: "ok", badge: "Open" },
  opening: { card: "starting", badge: "Opening" },
  absent: { card: "degraded", badge: "Not plugged in" },
  unplugged: { card: "degraded", badge: "Unplugged" },
  busy: { card: "failed", badge: "Busy" },
  failed: { card: "failed", badge: "Failed" },
  closed: { card: "off", badge: "Closed" },
};

function portCard(p: ConsolePortView): string {
  const found = LOOKS[p.state];
  // A discovered adapter that went away is not a fault: it was pulled on purpose, most likely.
  const look =
    p.isDiscovered && (p.state === "absent" || p.state === "unplugged")
      ? { ...found, card: "off" }
      : found;
  const detail =
    p.detail && p.state !== "open" ? `<p class="card-reason">${esc(p.detail)}</p>` : "";
  const kind = p.mode === "getty" ? " · login console" : "";
  return `<li class="card card--${look.card}" data-port="${esc(p.name)}" data-state="${p.state}"><div class="card-head"><h2 class="card-title">${esc(p.name)}${kind}</h2><span class="badge badge--${look.card}"><span class="badge-dot" aria-hidden="true"></span>${look.badge}</span></div>
${detail}<p class="card-fine" data-settings>${esc(p.settings)} on <code>${esc(p.path)}</code>${p.isDiscovered ? " (found by itself)" : ""}</p>
${facts(p)}${lastLines(p.lastLines)}
<p class="card-actions">${buttons(p)}</p></li>`;
}

function facts(p: ConsolePortView): string {
  const items = [`<li data-clients>${esc(attached(p))}</li>`];
  if (p.tcp)
    items.push(
      `<li data-tcp>TCP: <code>${esc(p.tcp.listen)}:${p.tcp.port}</code> (telnet or nc)</li>`,
    );
  if (p.power) items.push(`<li data-power>${esc(powerText(p.power))}</li>`);
  if (p.getty)
    items.push(
      `<li data-getty>Login prompt: <code>${esc(p.getty.unit)}</code>${p.getty.pty ? ` on <code>${esc(p.getty.pty)}</code>` : ""}</li>`,
    );
  if (p.log) items.push(`<li data-log>Log: <code>${esc(p.log.path)}</code></li>`);
  return `<ul class="card-meta console-facts">${items.join("")}</ul>`;
}

/** "Nobody is attached." / "Writing: 10.0.0.5 (web) since 12:00:01 UTC; watching: alice (cli)". */
function attached(p: ConsolePortView): string {
  if (p.clients.length === 0) return "Nobody is attached.";
  const writer = p.clients.find((c) => c.role === "writer");
  const watchers = p.clients.filter((c) => c.role === "spectator").map((c) => c.who);
  const parts = [];
  if (writer) parts.push(`Writing: ${writer.who} since ${clock(writer.sinceMs)}`);
  if (watchers.length) parts.push(`watching: ${watchers.join(", ")}`);
  return parts.join("; ");
}

function powerText(power: NonNullable<ConsolePortView["power"]>): string {
  const now = power.isBusy ? "; switching now" : "";
  const last = power.last
    ? `; last: ${power.last.action} by ${power.last.who} at ${clock(power.last.at)}, ${power.last.ok ? "done" : `failed: ${power.last.error ?? "no reason given"}`}`
    : "";
  return `Power: ${power.driver}${now}${last}`;
}

function lastLines(lines: string[]): string {
  if (lines.length === 0) return '<p class="card-fine">The board has printed nothing yet.</p>';
  return `<pre class="console-lines" aria-label="Last lines" data-last-lines>${esc(lines.join("\n"))}</pre>`;
}

function buttons(p: ConsolePortView): string {
  const name = esc(p.name);
  const isOpen = p.state === "open";
  const open =
    p.mode === "getty"
      ? ""
      : `<button type="button" class="button button--quiet" data-terminal="${name}" data-mode="rw">Open terminal</button> `;
  const watch = `<button type="button" class="button button--quiet" data-terminal="${name}" data-mode="ro">Watch</button> `;
  const brk = `<button type="button" class="button button--quiet" data-break="${name}"${isOpen ? "" : " disabled"}>Break</button>`;
  const power = p.power
    ? ` <button type="button" class="button button--quiet" data-power="${name}"${p.power.isBusy ? " disabled" : ""}>Power cycle</button>`
    : "";
  return `${open}${watch}${brk}${power}`;
}

function clock(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}
