import { escapeHtml as esc } from "../services/http/escape-html.js";
import { pageShell } from "../services/http/page-shell.js";
import type { ClientProfile, SeenClient } from "./clients/index.js";
import type { MediaSummary } from "./media-routes.js";

const WATCH_TEXT: Record<string, string> = {
  live: "watched live: changes show up within seconds",
  "periodic-network": "network filesystem: rescanned periodically",
  "periodic-watch-limit": "inotify watch limit reached: partly rescanned periodically",
  unavailable: "not available: is the disk mounted?",
  off: "not watched yet",
};

/**
 * The Media page on the dashboard: counts, scan progress, each shared folder's state, recent
 * changes and the control points that talk to the server, whose profile the user can pin. Server-
 * rendered HTML with the dashboard's stylesheets; the one script (profile overrides) is a file of
 * its own because the dashboard's CSP allows no inline code. Refreshes every 5 s while a scan runs.
 */
export function mediaPage(
  friendlyName: string,
  s: MediaSummary,
  profiles: readonly ClientProfile[],
): string {
  const p = s.progress;
  const isScanning = p?.phase === "scanning";
  const eta =
    p?.etaSeconds === null || p?.etaSeconds === undefined
      ? ""
      : `, about ${Math.ceil(p.etaSeconds)} s left`;
  const scan = isScanning
    ? `Scanning: ${p.filesProcessed} of ${p.filesSeen} files${eta}`
    : "The library is up to date";
  const roots = s.roots.map(rootCard).join("");
  const empty =
    "<p>No folders are shared yet. Add them under <code>media.roots</code> in the config file.</p>";
  return pageShell({
    title: "Media",
    path: "library",
    script: "media-page.js",
    ...(isScanning ? { refreshSeconds: 5 } : {}),
    body: `<section class="services" aria-labelledby="library-title">
<div class="section-head"><h1 id="library-title">${esc(friendlyName)}</h1><p class="summary">${esc(scan)}</p></div>
${roots ? `<ul class="cards">${roots}</ul>` : empty}
<section aria-labelledby="changes-title"><h2 id="changes-title">Recent changes</h2>${changesList(s)}</section>
<section aria-labelledby="clients-title"><h2 id="clients-title">Players and TVs</h2>${clientsTable(s.clients, profiles)}</section>
</section>
<aside class="panel" aria-labelledby="counts-title"><h2 id="counts-title">In the library</h2>${countsList(s)}${serverFacts(s)}</aside>`,
  });
}

function countsList(s: MediaSummary): string {
  const c = s.counts;
  if (!c) return "<p>Counting…</p>";
  const rows: Array<[string, number]> = [
    ["Tracks", c.tracks],
    ["Albums", c.albums],
    ["Artists", c.artists],
    ["Videos", c.videos],
    ["Pictures", c.pictures],
  ];
  if (s.thumbnails) rows.push(["Thumbnails made", s.thumbnails.made]);
  const items = rows.map(
    ([label, n]) => `<div class="fact"><dt>${label}</dt><dd>${n.toLocaleString("en")}</dd></div>`,
  );
  return `<dl class="facts facts--system">${items.join("")}</dl>`;
}

function changesList(s: MediaSummary): string {
  if (s.recentChanges.length === 0) return "<p>No changes since hearth started.</p>";
  const rows = s.recentChanges.map((c) => {
    const parts = [
      c.added ? `${c.added} added` : "",
      c.updated ? `${c.updated} updated` : "",
      c.moved ? `${c.moved} moved` : "",
      c.removed ? `${c.removed} removed` : "",
      c.failed ? `${c.failed} unreadable` : "",
    ].filter(Boolean);
    const when = esc(c.at.slice(0, 19).replace("T", " "));
    const root = esc(s.roots[c.rootId]?.path ?? "");
    return `<li>${when} UTC · ${root}: ${esc(parts.join(", "))} <span class="card-fine">(${esc(TRIGGER_TEXT[c.trigger])})</span></li>`;
  });
  return `<ul class="changes">${rows.join("")}</ul>`;
}

const TRIGGER_TEXT: Record<MediaSummary["recentChanges"][number]["trigger"], string> = {
  scan: "scan",
  watch: "noticed live",
  periodic: "periodic rescan",
};

function clientsTable(clients: readonly SeenClient[], profiles: readonly ClientProfile[]): string {
  if (clients.length === 0)
    return "<p>No player or TV has asked for anything yet. Open your player's media server list: hearth shows up there by the name above.</p>";
  const rows = clients.map((c) => {
    const options = [
      `<option value=""${c.overrideProfileId === null ? " selected" : ""}>Detect (${esc(profileName(profiles, c.detectedProfileId))})</option>`,
      ...profiles.map(
        (p) =>
          `<option value="${esc(p.id)}"${c.overrideProfileId === p.id ? " selected" : ""}>${esc(p.name)}</option>`,
      ),
    ].join("");
    return `<tr><td>${esc(c.address)}</td><td class="card-fine">${esc(c.userAgent || "(none)")}</td><td><select data-client-address="${esc(c.address)}" aria-label="Profile for ${esc(c.address)}">${options}</select></td><td>${time(c.firstSeenAt)}</td><td>${time(c.lastSeenAt)}</td><td>${c.requests}</td></tr>`;
  });
  return `<table class="clients"><thead><tr><th>Address</th><th>User-Agent</th><th>Profile</th><th>First seen</th><th>Last seen</th><th>Requests</th></tr></thead><tbody>${rows.join("")}</tbody></table><p class="card-fine" id="client-save-status" role="status"></p>`;
}

function profileName(profiles: readonly ClientProfile[], id: string): string {
  return profiles.find((p) => p.id === id)?.name ?? id;
}

function time(ms: number): string {
  return esc(new Date(ms).toISOString().slice(0, 19).replace("T", " "));
}

function serverFacts(s: MediaSummary): string {
  if (!s.server) return "";
  const facts: Array<[string, string]> = [
    ["Shown to players as", s.server.friendlyName],
    ["Event subscribers", String(s.server.subscribers)],
  ];
  const items = facts.map(
    ([label, value]) => `<div class="fact"><dt>${label}</dt><dd>${esc(value)}</dd></div>`,
  );
  return `<h2>Media server</h2><dl class="facts facts--system">${items.join("")}</dl>`;
}

function rootCard(r: MediaSummary["roots"][number]): string {
  const state = r.problems.length > 0 || r.watch === "unavailable" ? "degraded" : "ok";
  const badge = state === "ok" ? "Indexed" : "Needs a look";
  const last = r.lastScanAt
    ? `Last scan ${esc(r.lastScanAt.slice(0, 16).replace("T", " "))} UTC · ${r.lastScanFiles ?? 0} files`
    : "Not scanned yet";
  const problems = r.problems
    .map(
      (pr) =>
        `<p class="card-reason">${esc(pr.relPath || r.path)}: ${esc(pr.message)}</p>${pr.fix ? `<p class="card-fix"><strong>What to do:</strong> ${esc(pr.fix)}</p>` : ""}`,
    )
    .join("");
  return `<li class="card card--${state}"><div class="card-head"><h2 class="card-title">${esc(r.path)}</h2><span class="badge badge--${state}"><span class="badge-dot" aria-hidden="true"></span>${badge}</span></div>
<p class="card-fine">${esc(r.kind)} · ${esc(WATCH_TEXT[r.watch] ?? r.watch)}</p>${problems}<p class="card-meta">${last}</p></li>`;
}
