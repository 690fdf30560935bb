import type { MediaSummary } from "./media-routes.js";

const WATCH_TEXT: Record<string, string> = {
  live: "watched live: changes show up within seconds",
  "periodic-network": "network filesystem: rescanned periodically",
  "periodic-watch-limit": "inotify watch limit reached: partly rescanned periodically",
  unavailable: "not available: is the disk mounted?",
  off: "not watched yet",
};

/**
 * The Library page on the dashboard: counts, scan progress and each shared folder's state. Plain
 * server-rendered HTML with the dashboard's stylesheets and no script (the dashboard's CSP allows
 * no inline code); it refreshes itself every 5 s while a scan runs.
 */
export function libraryPage(friendlyName: string, s: MediaSummary): string {
  const c = s.counts;
  const p = s.progress;
  const isScanning = p?.phase === "scanning";
  const counts = c
    ? [
        ["Tracks", c.tracks],
        ["Albums", c.albums],
        ["Artists", c.artists],
        ["Videos", c.videos],
        ["Pictures", c.pictures],
      ]
        .map(
          ([label, n]) => `<div><dt>${label}</dt><dd>${Number(n).toLocaleString("en")}</dd></div>`,
        )
        .join("")
    : "";
  const scan = isScanning
    ? `<p>Scanning ${esc(p.currentRoot ?? "")}: ${p.filesProcessed} of ${p.filesSeen} files${p.etaSeconds === null ? "" : `, about ${Math.ceil(p.etaSeconds)} s left`}.</p>`
    : "<p>The library is up to date.</p>";
  const roots = s.roots
    .map((r) => {
      const problems = r.problems
        .map(
          (pr) =>
            `<li>${esc(pr.relPath || r.path)}: ${esc(pr.message)}${pr.fix ? ` <em>${esc(pr.fix)}</em>` : ""}</li>`,
        )
        .join("");
      const last = r.lastScanAt
        ? `last scan ${esc(r.lastScanAt.slice(0, 16).replace("T", " "))}, ${r.lastScanFiles ?? 0} files`
        : "not scanned yet";
      return `<li class="card"><h3>${esc(r.path)}</h3><p>${esc(r.kind)} · ${esc(WATCH_TEXT[r.watch] ?? r.watch)} · ${last}</p>${problems ? `<ul>${problems}</ul>` : ""}</li>`;
    })
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">${isScanning ? '<meta http-equiv="refresh" content="5">' : ""}
<title>Library · hearth</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/base.css"><link rel="stylesheet" href="/chrome.css"><link rel="stylesheet" href="/cards.css"><link rel="stylesheet" href="/small-screens.css">
</head><body><main id="main" class="page">
<p><a href="/">← Overview</a></p>
<h1>${esc(friendlyName)}</h1>
<dl class="facts">${counts}</dl>
${scan}
<h2>Shared folders</h2>
${roots ? `<ul class="cards">${roots}</ul>` : "<p>No folders are shared. Add them under <code>media.roots</code> in the config file.</p>"}
</main></body></html>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
