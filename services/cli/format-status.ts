import type { HostStatus, ServiceState } from "../host/host-status.js";

const MARK: Record<ServiceState, string> = {
  ok: "●",
  degraded: "▲",
  failed: "✖",
  starting: "…",
  off: "○",
  stopped: "■",
};

/** `hearth status` for people: one line per service, then reason and fix indented under it. */
export function formatStatus(status: HostStatus): string {
  const lines = [
    `hearth ${status.version} on ${status.hostname}: ${status.overall}, up ${formatDuration(status.uptimeSeconds)} (pid ${status.pid}, node ${status.node})`,
    `data ${status.dataDir}${status.disk ? `, ${formatBytes(status.disk.freeBytes)} free` : ""}; config ${status.configFile ?? "built-in defaults"}`,
    `memory ${formatBytes(status.process.rssBytes)}, cpu ${status.process.cpuSeconds.toFixed(1)} s, catalog ${formatBytes(status.catalog.sizeBytes)}`,
    "",
  ];
  const width = Math.max(...status.services.map((s) => s.name.length), 4);
  for (const s of status.services) {
    const restarts = s.restarts > 0 ? ` (restarted ${s.restarts}×)` : "";
    lines.push(`${MARK[s.state]} ${s.name.padEnd(width)}  ${s.state}${restarts}`);
    if (s.reason) lines.push(`  ${" ".repeat(width)}  ${s.reason}`);
    if (s.fix) lines.push(`  ${" ".repeat(width)}  fix: ${s.fix}`);
  }
  return lines.join("\n");
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${seconds % 60}s`;
  return `${seconds}s`;
}
