import type { PhonesStatus } from "../../pbx/index.js";
import { EXIT } from "../host/shutdown.js";
import { fail } from "./cli-output.js";
import { askDaemon, type DaemonCliOptions } from "./daemon-request.js";

/** Options every `hearth pbx` subcommand takes. */
export type PbxCliOptions = DaemonCliOptions;

const NAMES = { command: "hearth pbx", service: "the phone service" };

/** Phones live in the daemon: registrations, lamps and the Asterisk link exist only while it runs. */
function ask(opts: PbxCliOptions, method: string, path: string, body?: unknown) {
  return askDaemon(opts, NAMES, method, path, body);
}

/** `hearth pbx status`: extensions, their phones and lamps, sources, the Asterisk link. */
export async function pbxStatusCommand(opts: PbxCliOptions): Promise<number> {
  const answer = await ask(opts, "GET", "/api/pbx/status");
  if (!answer.ok) return answer.code;
  const status = answer.json as PhonesStatus;
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
  } else {
    process.stdout.write(`${formatPhones(status)}\n`);
  }
  return status.health.state === "ok" ? EXIT.ok : EXIT.failure;
}

/** `hearth pbx mwi <ext> on|off|auto`: force a lamp to test a phone, or give it back to its mailbox. */
export async function pbxMwiCommand(
  extension: string,
  lamp: string,
  opts: PbxCliOptions,
): Promise<number> {
  if (lamp !== "on" && lamp !== "off" && lamp !== "auto")
    return fail(`hearth pbx mwi: the lamp is on, off or auto (follow the mailbox), not "${lamp}"`);
  const answer = await ask(opts, "POST", `/api/pbx/mwi/${encodeURIComponent(extension)}`, {
    lamp,
  });
  if (!answer.ok) return answer.code;
  const cleared = answer.json as { markedRead?: number; mailbox?: string };
  process.stdout.write(
    lamp === "auto"
      ? `lamp of ${extension} follows its mailbox again\n`
      : cleared.markedRead !== undefined
        ? `marked ${cleared.markedRead} voicemail notice(s) read in ${cleared.mailbox ?? "its mailbox"}; lamp of ${extension} follows its mailbox\n`
        : `lamp of ${extension} forced ${lamp}; \`hearth pbx mwi ${extension} auto\` gives it back to its mailbox\n`,
  );
  return EXIT.ok;
}

/** ", answers OPTIONS in 12 ms" and the like; "" when qualify is off. */
function reachability(c: PhonesStatus["extensions"][number]["contacts"][number]): string {
  const r = c.reachability;
  if (r === undefined) return "";
  if (r.state === "reachable") return `, answers OPTIONS in ${r.roundTripMs ?? 0} ms`;
  if (r.state === "unreachable") return `, NOT answering OPTIONS (since ${r.checkedAt ?? "?"})`;
  return ", not asked yet";
}

/** The status as lines a person reads in a terminal. */
export function formatPhones(status: PhonesStatus): string {
  const lines = [
    `SIP on port ${status.port} (${status.transports.join(", ")}), domain ${status.domain}: ${status.health.state}`,
  ];
  if (status.health.state !== "ok") {
    lines.push(`  ${status.health.reason ?? ""}`);
    if (status.health.fix) lines.push(`  what to do: ${status.health.fix}`);
  }
  for (const e of status.extensions) {
    const why = e.lampOverride
      ? ` (forced ${e.lampOverride})`
      : e.mailbox
        ? e.voicemail
          ? ` (${e.voicemail.new} new, ${e.voicemail.old} old in ${e.mailbox})`
          : ` (${e.mailbox} not counted yet)`
        : " (no mailbox)";
    const lamp = `lamp ${e.lamp ? "ON" : "off"}${why}`;
    lines.push(
      `${e.number.padEnd(6)} ${e.name.padEnd(16)} ${e.contacts.length ? "registered" : "offline"}, ${lamp}`,
    );
    for (const c of e.contacts)
      lines.push(
        `       ${c.userAgent ?? "phone"} at ${c.via}, until ${c.expiresAt}${reachability(c)}`,
      );
  }
  for (const c of status.calls)
    lines.push(
      `call ${c.from} -> ${c.to}: ${c.state} since ${new Date(c.startedAt).toISOString()}`,
    );
  for (const s of status.sources) {
    const counts = s.state ? `${s.state.new} new, ${s.state.old} old` : "not counted yet";
    lines.push(
      `voicemail ${s.name} (${s.kind}): ${counts}; ${s.health.state}${s.health.reason ? `: ${s.health.reason}` : ""}`,
    );
  }
  if (status.asterisk) {
    const link = status.asterisk.link;
    lines.push(
      `asterisk: ${link.state}${link.reason ? ` (${link.reason})` : ""}, ${status.asterisk.registrations.length} contact(s), ${status.asterisk.calls.length} channel(s)`,
    );
  }
  if (status.sipProblems > 0)
    lines.push(`${status.sipProblems} malformed or refused SIP message(s) since start`);
  return lines.join("\n");
}

/** `hearth pbx call <from> <to>`: Asterisk rings extension `from`, then dials `to` (click-to-call). */
export async function pbxCallCommand(
  from: string,
  to: string,
  opts: PbxCliOptions,
): Promise<number> {
  const answer = await ask(opts, "POST", "/api/pbx/call", { from, to });
  if (!answer.ok) return answer.code;
  const result = answer.json as { isSuccess: boolean; reason?: number };
  if (result.isSuccess) {
    process.stdout.write(`${from} answered; Asterisk is dialling ${to}\n`);
    return EXIT.ok;
  }
  return fail(
    `hearth pbx call: ${from} did not answer or Asterisk refused the call (reason ${result.reason ?? "unknown"})`,
  );
}
