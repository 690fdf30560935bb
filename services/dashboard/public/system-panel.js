import { byId, h, replaceChildren } from "./dom.js";
import { formatBytes, formatDuration } from "./format.js";

/**
 * The "This box" panel: uptime, version, CPU time, memory, catalog size, free disk on the data dir.
 * @param {object} status a HostStatus
 */
export function renderSystemPanel(status) {
  const facts = [
    ["Uptime", formatDuration(status.uptimeSeconds), "uptime"],
    ["Version", `hearth ${status.version}`],
    ["Node.js", status.node],
    ["CPU time used", formatDuration(status.process.cpuSeconds)],
    ["Memory", formatBytes(status.process.rssBytes)],
    ["Catalog", formatBytes(status.catalog.sizeBytes)],
    ["Settings", status.configFile ?? "built-in defaults"],
    ["Data folder", status.dataDir],
  ];
  replaceChildren(
    byId("system-facts"),
    facts.map(([label, value, key]) =>
      h(
        "div",
        { class: "fact" },
        h("dt", null, label),
        h("dd", { "data-fact": key, class: value.startsWith("/") ? "mono" : null }, value),
      ),
    ),
  );
  renderDisk(status.disk);
}

function renderDisk(disk) {
  const box = byId("disk");
  box.hidden = disk === null || !(disk.totalBytes > 0);
  if (box.hidden) return;
  const freeShare = disk.freeBytes / disk.totalBytes;
  byId("disk-text").textContent = `${formatBytes(disk.freeBytes)} free`;
  const bar = byId("disk-bar");
  // The bar shows the used share. Width through CSSOM: the CSP forbids inline style attributes,
  // not style properties.
  bar.style.width = `${Math.round((1 - freeShare) * 100)}%`;
  bar.dataset.level = freeShare < 0.05 ? "critical" : freeShare < 0.15 ? "low" : "ok";
  byId("disk-path").textContent = `of ${formatBytes(disk.totalBytes)} on ${disk.path}`;
}
