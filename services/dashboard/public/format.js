/** Human-readable sizes in decimal units, as disks are labelled: 94 MB, 18.4 MB, 212 GB. */
export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return "–";
  const units = ["B", "kB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = value < 10 && unit > 0 ? 1 : 0;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** A duration in the two largest units: "3 days 4 h", "4 h 12 min", "12 min", "1 min 35 s", "45 s". */
export function formatDuration(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return `${days} ${days === 1 ? "day" : "days"}${hours > 0 ? ` ${hours} h` : ""}`;
  if (hours > 0) return `${hours} h${minutes > 0 ? ` ${minutes} min` : ""}`;
  // Seconds matter only while they are a noticeable part of the whole (a restart countdown).
  if (minutes >= 10) return `${minutes} min`;
  if (minutes > 0) return `${minutes} min${s % 60 > 0 ? ` ${s % 60} s` : ""}`;
  return `${s} s`;
}

/** A past moment as people say it: "10:42" today, else "Mon 10:42", else "3 Mar". */
export function formatMoment(ms, nowMs) {
  const date = new Date(ms);
  const time = date.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  const ageMs = nowMs - ms;
  if (ageMs < 20 * 3600_000 && new Date(nowMs).getDate() === date.getDate()) return time;
  if (ageMs < 6 * 86400_000) return `${date.toLocaleDateString([], { weekday: "short" })} ${time}`;
  return date.toLocaleDateString([], { day: "numeric", month: "short" });
}

/** "itemCount" → "Item count", "last_scan" → "Last scan". */
export function humanizeKey(key) {
  const words = key
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A detail value for display; sizes by key name (…Bytes), plain numbers with separators. */
export function formatDetail(key, value) {
  if (typeof value === "number" && /bytes$/i.test(key)) return formatBytes(value);
  if (typeof value === "number") return value.toLocaleString();
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}
