import { readdir, realpath } from "node:fs/promises";
import { join } from "node:path";

/** A USB-serial adapter found under /dev/serial. */
export interface SerialDevice {
  /** The stable link to open: /dev/serial/by-id/… or, without a usable id, /dev/serial/by-path/…. */
  link: string;
  /** The tty it points to now, e.g. /dev/ttyUSB0. */
  device: string;
  /** A console name made from the link: "ftdi-ft232r-usb-uart-a12345". */
  name: string;
}

export interface SerialDeviceScan {
  devices: SerialDevice[];
  /**
   * Sentences about adapters that share one by-id name (cheap CH340 adapters without a serial
   * number): only the physical USB socket (by-path) tells them apart.
   */
  warnings: string[];
}

/**
 * Lists adapters by reading /dev/serial/by-id and /dev/serial/by-path ourselves: serialport's
 * list() spawns udevadm, which small boxes and containers may not have. An adapter with a by-id
 * link is named by it; one reachable only by path (its id is shared with another adapter, so udev
 * gave the id to one of them) is named by its USB socket, and a warning says so.
 */
export async function scanSerialDevices(root = "/dev/serial"): Promise<SerialDeviceScan> {
  const byId = await readLinks(join(root, "by-id"));
  const byPath = await readLinks(join(root, "by-path"));
  const devices: SerialDevice[] = [];
  const covered = new Set<string>();
  for (const { link, device } of byId) {
    if (covered.has(device)) continue;
    covered.add(device);
    devices.push({ link, device, name: nameFromLink(link, "by-id") });
  }
  const warnings: string[] = [];
  for (const { link, device } of byPath) {
    if (covered.has(device)) continue;
    covered.add(device);
    devices.push({ link, device, name: nameFromLink(link, "by-path") });
    if (byId.length > 0)
      warnings.push(
        `${device} (${link}) has no /dev/serial/by-id link of its own: it probably shares its id with another adapter (no serial number). It is named by its USB socket; keep it in the same socket, or name it by its by-path link in the config.`,
      );
  }
  return { devices: devices.sort((a, b) => a.name.localeCompare(b.name)), warnings };
}

/** "usb-FTDI_FT232R_USB_UART_A12345-if00-port0" → "ftdi-ft232r-usb-uart-a12345". */
export function nameFromLink(link: string, kind: "by-id" | "by-path"): string {
  const base = link.slice(link.lastIndexOf("/") + 1);
  const trimmed =
    kind === "by-id" ? base.replace(/^usb-/, "").replace(/-if00(-port0)?$/, "") : `usb-${base}`;
  const name = trimmed
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  return name.slice(0, 64) || "serial";
}

async function readLinks(dir: string): Promise<Array<{ link: string; device: string }>> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    // No adapter plugged in: udev removes the folder with the last link.
    return [];
  }
  const links: Array<{ link: string; device: string }> = [];
  for (const name of names.sort()) {
    const link = join(dir, name);
    const device = await realpath(link).catch(() => undefined);
    // A dangling link (adapter pulled while we read) is skipped; the next scan sees it gone.
    if (device !== undefined) links.push({ link, device });
  }
  return links;
}
