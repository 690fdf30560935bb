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
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">${isScanning ? '<meta http-equiv="refresh" content="5">' : ""}
<title>Library · hearth</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/base.css"><link rel="stylesheet" href="/controls.css"><link rel="stylesheet" href="/chrome.css"><link rel="stylesheet" href="/cards.css"><link rel="stylesheet" href="/small-screens.css">
</head><body>
<header class="topbar"><div class="topbar-inner"><a class="brand" href="/" aria-label="hearth overview"><span class="logo" aria-hidden="true"></span><span class="brand-name">hearth</span></a></div>
<nav class="tabs" aria-label="Dashboard pages"><ul class="tabs-list"><li><a href="/">Overview</a></li><li><a href="library" aria-current="page">Library</a></li></ul></nav></header>
<main id="main" class="layout">
<section class="services" aria-labelledby="library-title">
<div class="section-head"><h1 id="library-title">${esc(friendlyName)}</h1><p class="summary">${esc(scan)}</p></div>
${roots ? `<ul class="cards">${roots}</ul>` : empty}
</section>
<aside class="panel" aria-labelledby="counts-title"><h2 id="counts-title">In the library</h2>${countsList(s)}</aside>
</main></body></html>`;
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

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
