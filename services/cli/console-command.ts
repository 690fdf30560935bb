import { join } from "node:path";
import type { ConsolesStatus } from "../console/index.js";
import { describeError } from "../errors.js";
import { EXIT } from "../host/shutdown.js";
import { fail } from "./cli-output.js";
import { askDaemon, daemonPlaces, type DaemonCliOptions } from "./daemon-request.js";

export type ConsoleCliOptions = DaemonCliOptions;

const NAMES = { command: "hearth console", service: "the console service" };

/** `hearth console list`: every port, its state, who is attached, its TCP port and power. */
export async function consoleListCommand(opts: ConsoleCliOptions): Promise<number> {
  const answer = await askDaemon(opts, NAMES, "GET", "/api/console/ports");
  if (!answer.ok) return answer.code;
  const status = answer.json as ConsolesStatus;
  process.stdout.write(
    opts.json ? `${JSON.stringify(status, null, 2)}\n` : `${formatConsoles(status)}\n`,
  );
  return status.health.state === "ok" ? EXIT.ok : EXIT.failure;
}

/** `hearth console attach NAME [--ro] [--force]`. */
export async function consoleAttachCommand(
  name: string,
  opts: ConsoleCliOptions & { ro?: boolean; force?: boolean },
): Promise<number> {
  if (opts.ro && opts.force)
    return fail("hearth console attach: --ro and --force exclude each other");
  const { attachConsole } = await import("./console-attach.js");
  try {
    return await attachConsole({
      sockets: daemonPlaces(opts).sockets,
      port: name,
      mode: opts.ro ? "ro" : opts.force ? "force" : "rw",
    });
  } catch (err) {
    return fail(`hearth console attach: ${describeError(err)}`);
  }
}

/**
 * `hearth console log NAME [-f]`: read from the log files themselves, so it works while hearth is
 * stopped (the board's last words before a crash are there).
 */
export async function consoleLogCommand(
  name: string,
  opts: ConsoleCliOptions & { follow?: boolean; bytes?: string },
): Promise<number> {
  const { readLogTail, followLog } = await import("../console/log/log-reader.js");
  const dir = join(daemonPlaces(opts).dataDir, "console", "logs");
  const bytes = Number(opts.bytes ?? 65536);
  if (!Number.isInteger(bytes) || bytes <= 0)
    return fail(`hearth console log: --bytes takes a positive number, got "${opts.bytes}"`);
  try {
    process.stdout.write(await readLogTail(dir, name, bytes));
  } catch (err) {
    return fail(`hearth console log: ${describeError(err)}`);
  }
  if (!opts.follow) return EXIT.ok;
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  await followLog(dir, name, (chunk) => process.stdout.write(chunk), stop.signal);
  return EXIT.ok;
}

/** `hearth console break NAME`: a timed serial break (magic SysRq, U-Boot, ROMMON). */
export async function consoleBreakCommand(name: string, opts: ConsoleCliOptions): Promise<number> {
  const answer = await askDaemon(
    opts,
    NAMES,
    "POST",
    `/api/console/ports/${encodeURIComponent(name)}/break`,
    {},
  );
  if (!answer.ok) return answer.code;
  process.stdout.write(`break sent to ${name}\n`);
  return EXIT.ok;
}

/** `hearth console power-cycle NAME` (and on/off): through the port's power driver. */
export async function consolePowerCommand(
  name: string,
  action: string,
  opts: ConsoleCliOptions,
): Promise<number> {
  if (action !== "on" && action !== "off" && action !== "cycle")
    return fail(`hearth console power: the action is on, off or cycle, not "${action}"`);
  const answer = await askDaemon(
    opts,
    NAMES,
    "POST",
    `/api/console/ports/${encodeURIComponent(name)}/power`,
    {
      action,
      who: process.env.USER,
    },
  );
  if (!answer.ok) return answer.code;
  process.stdout.write(
    action === "cycle" ? `${name} power-cycled\n` : `${name} powered ${action}\n`,
  );
  return EXIT.ok;
}

/** The status as lines a person reads in a terminal. */
export function formatConsoles(status: ConsolesStatus): string {
  const lines: string[] = [];
  if (status.ports.length === 0)
    lines.push(
      status.autoDiscover
        ? "no serial consoles yet: plug in a USB-serial adapter (it appears under /dev/serial/by-id) or name ports under console.ports"
        : "no serial consoles: autoDiscover is off and console.ports is empty",
    );
  if (status.health.state !== "ok") {
    lines.push(`${status.health.state}: ${status.health.reason ?? ""}`);
    if (status.health.fix) lines.push(`  what to do: ${status.health.fix}`);
  }
  for (const p of status.ports) {
    const extras = [
      p.mode === "getty" ? "login console" : undefined,
      p.tcp ? `tcp ${p.tcp.listen}:${p.tcp.port}` : undefined,
      p.power ? `power ${p.power.driver}${p.power.isBusy ? " (busy)" : ""}` : undefined,
      p.isDiscovered ? "found automatically" : undefined,
    ].filter(Boolean);
    lines.push(`${p.name.padEnd(16)} ${p.state.padEnd(9)} ${p.settings.padEnd(12)} ${p.path}`);
    if (p.detail) lines.push(`  ${p.detail}`);
    if (extras.length) lines.push(`  ${extras.join(", ")}`);
    for (const c of p.clients)
      lines.push(`  ${c.role === "writer" ? "writing " : "watching"} ${c.who}`);
  }
  for (const warning of status.warnings) lines.push(`warning: ${warning}`);
  return lines.join("\n");
}
