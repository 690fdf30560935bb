import type { ServiceStatus } from "../../../services/host/host-status.js";
import { service } from "../http/status-stub.js";

/** A household's box as the dashboard tests show it: one service in each interesting state. */
export function householdServices(): ServiceStatus[] {
  return [
    service("media", "ok", {
      title: "Media library",
      details: { items: 12408, musicTracks: 9731, videos: 412, pictures: 2265, clients: 3 },
      pages: [{ title: "Library", path: "/api/media/library" }],
    }),
    service("pbx", "degraded", {
      title: "Phones",
      reason: "The link to Asterisk is down; calls between extensions still work.",
      fix: "Check that Asterisk is running and that pbx.ami.secret matches manager.conf.",
      details: { registeredExtensions: 3, voicemailWaiting: 1 },
    }),
    service("backup", "failed", {
      title: "Backups",
      reason: "The backup disk /mnt/backup is not mounted.",
      fix: "Plug in the USB backup disk; hearth tries again by itself.",
      restarts: 3,
      nextRestartAt: new Date(Date.now() + 95_000).toISOString(),
    }),
    service("console", "off", {
      title: "Serial consoles",
      reason: "Turned off in the settings.",
      fix: "Set console.enabled: true in /etc/hearth/hearth.yaml and restart hearth.",
    }),
  ];
}
