import { MediaService } from "../media/index.js";
import { PbxService } from "../pbx/index.js";
import { BackupService } from "../storage/backup/index.js";
import { HearthError } from "./errors.js";
import type { ServiceEntry } from "./host/host.js";
import type { Service } from "./host/service.js";

/**
 * The role services of this build, in start order. Each entry gets its config slice. Services that
 * are not built yet are listed so the dashboard says so plainly instead of hiding them.
 */
export function serviceEntries(config: Record<string, unknown>): ServiceEntry[] {
  const built: ServiceEntry[] = [
    { service: new MediaService(), title: "Media library", config: config.media },
    { service: new BackupService(), title: "Backups", config: config.backup },
    { service: new PbxService(), title: "Phones (SIP)", config: config.pbx, ...pbxOff(config.pbx) },
  ];
  const unbuilt = NOT_BUILT.map((role) => ({
    service: notBuilt(role.name),
    title: role.title,
    config: config[role.name],
    off: {
      reason: `${role.title} is not part of this build of hearth yet.`,
      fix: `See "What is not built yet" in the README (${role.issue}).`,
    },
  }));
  return [...built, ...unbuilt];
}

const NOT_BUILT = [{ name: "console", title: "Serial consoles", issue: "issue 8" }] as const;

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

/** Stands in for a service that is not built: the host never starts an entry that is off. */
function notBuilt(name: string): Service {
  const refuse = () =>
    Promise.reject(new HearthError("E_USAGE", `${name} is not part of this build of hearth`));
  return { name, start: refuse, stop: async () => {}, health: () => ({ state: "failed" }) };
}
