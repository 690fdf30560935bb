import { MediaService } from "../media/index.js";
import { PbxService } from "../pbx/index.js";
import { BackupService } from "../storage/backup/index.js";
import { ConsoleService } from "./console/index.js";
import type { ServiceEntry } from "./host/host.js";

/**
 * The role services, in start order. Each entry gets its config slice.
 */
export function serviceEntries(config: Record<string, unknown>): ServiceEntry[] {
  return [
    { service: new MediaService(), title: "Media library", config: config.media },
    { service: new BackupService(), title: "Backups", config: config.backup },
    { service: new PbxService(), title: "Phones (SIP)", config: config.pbx, ...pbxOff(config.pbx) },
    {
      service: new ConsoleService(),
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
