import { formatBytes, type RunProgress } from "../../storage/backup/index.js";

export { formatBytes };

/** "[#####-----]  45 %  1.2 GiB of 2.6 GiB  35.0 MiB/s  ETA 40 s  /home/me/file" cut to `width`. */
export function progressBar(p: RunProgress, width: number, barWidth = 20): string {
  const filled = Math.round((Math.min(100, p.percent) / 100) * barWidth);
  const eta = p.etaSeconds === null ? "" : `  ETA ${Math.round(p.etaSeconds)} s`;
  const line = `[${"#".repeat(filled)}${"-".repeat(barWidth - filled)}] ${p.percent.toFixed(0).padStart(3)} %  ${formatBytes(p.bytesDone)} of ${formatBytes(p.totalBytes)}  ${formatBytes(p.bytesPerSecond)}/s${eta}  ${p.currentFile ?? ""}`;
  return line.length > width - 1 ? line.slice(0, width - 1) : line.padEnd(width - 1);
}
