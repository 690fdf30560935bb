import { escapeHtml } from "./escape-html.js";

/**
 * The frame of a service's dashboard page: head with the dashboard's stylesheets, the page's own
 * script (a file: the dashboard's CSP allows no inline code), the top bar and the tabs, and
 * `<main>` around `body`. `refreshSeconds` reloads the page while something runs (scan, backup).
 */
export function pageShell(page: {
  title: string;
  /** The page's path relative to its service's API prefix ("library", "page"). */
  path: string;
  script: string;
  refreshSeconds?: number;
  body: string;
}): string {
  const title = escapeHtml(page.title);
  const refresh = page.refreshSeconds
    ? `<meta http-equiv="refresh" content="${page.refreshSeconds}">`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">${refresh}
<title>${title} · hearth</title><script type="module" src="${escapeHtml(page.script)}"></script>
<link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/base.css"><link rel="stylesheet" href="/controls.css"><link rel="stylesheet" href="/chrome.css"><link rel="stylesheet" href="/cards.css"><link rel="stylesheet" href="/small-screens.css">
</head><body>
<header class="topbar"><div class="topbar-inner"><a class="brand" href="/" aria-label="hearth overview"><span class="logo" aria-hidden="true"></span><span class="brand-name">hearth</span></a></div>
<nav class="tabs" aria-label="Dashboard pages"><ul class="tabs-list"><li><a href="/">Overview</a></li><li><a href="${escapeHtml(page.path)}" aria-current="page">${title}</a></li></ul></nav></header>
<main id="main" class="layout">
${page.body}
</main></body></html>`;
}
