import type { ServiceEntry } from "./host/host.js";
import { lazyService } from "./host/lazy-service.js";

/**
 * The role services, in start order. Each entry gets its config slice.
 */
export function serviceEntries(config: Record<string, unknown>): ServiceEntry[] {
  // Each module is imported when its service first starts: one that is off never loads its
  // dependencies.
  const media = lazyService("media", async () => {
    const { MediaService } = await import("../media/index.js");
    return new MediaService();
  });
  const backup = lazyService("backup", async () => {
    const { BackupService } = await import("../storage/backup/index.js");
    return new BackupService();
  });
  const pbx = lazyService("pbx", async () => {
    const { PbxService } = await import("../pbx/index.js");
    return new PbxService();
  });
  const consoles = lazyService("console", async () => {
    const { ConsoleService } = await import("./console/index.js");
    return new ConsoleService();
  });
  return [
    { service: media, title: "Media library", config: config.media },
    { service: backup, title: "Backups", config: config.backup },
    { service: pbx, title: "Phones (SIP)", config: config.pbx, ...pbxOff(config.pbx) },
    {
      service: consoles,
      title: "Serial consoles",
      config: config.console,
      ...consoleOff(config.console),
    },
  ];
}

/**
 * The phone service stays off (no SIP port opened) until there is something to serve: phones or
 * an Asterisk to bridge. A fresh box answers no SIP scanner on 5060.
 */
function pbxOff(pbx: unknown): Pick<ServiceEntry, "off"> {
  const p = (pbx ?? {}) as { enabled?: boolean; extensions?: object; ami?: object };
  if (p.enabled === false)
    return {
      off: { reason: "Phones are turned off in the config.", fix: "Set pbx.enabled: true." },
    };
  if (Object.keys(p.extensions ?? {}).length === 0 && p.ami === undefined)
    return {
      off: {
        reason: "No phones are configured.",
        fix: "Add extensions under pbx.extensions (see the README's Phones section).",
      },
    };
  return {};
}

function consoleOff(section: unknown): Pick<ServiceEntry, "off"> {
  if ((section as { enabled?: boolean } | undefined)?.enabled !== false) return {};
  return {
    off: {
      reason: "Serial consoles are turned off in the config.",
      fix: "Set console.enabled: true.",
    },
  };
}
