import { escapeHtml as esc } from "../services/http/escape-html.js";
import { pageShell } from "../services/http/page-shell.js";
import type {
  ContactStatus,
  ExtensionStatusView,
  PhonesStatus,
  SourceStatusView,
} from "./phones-status.js";

/**
 * The Phones page: one card per extension (registered phones and where they are, the lamp and
 * the messages behind it), the voicemail sources with their health, and the Asterisk link when one
 * is configured. Reloads every 30 s: registrations come and go without anyone clicking.
 */
export function phonesPage(status: PhonesStatus): string {
  const registered = status.extensions.filter((e) => e.contacts.length > 0).length;
  const count = status.extensions.length;
  const summary = `${count} extension${count === 1 ? "" : "s"}, ${registered} registered; SIP on port ${status.port} (${status.transports.join(", ")}), domain ${status.domain}`;
  const problem =
    status.health.state === "ok"
      ? ""
      : `<p class="card-reason">${esc(status.health.reason ?? "")}</p>${status.health.fix ? `<p class="card-fix"><strong>What to do:</strong> ${esc(status.health.fix)}</p>` : ""}`;
  const empty =
    "<p>No phones are configured. Add extensions under <code>pbx.extensions</code> in the config file (see <code>etc/hearth.example.yaml</code> and the README's Phones section for Cisco, Linphone and baresip settings).</p>";
  const cards = status.extensions.map(extensionCard).join("");
  const sources = status.sources.map(sourceCard).join("");
  const calls = status.calls.length
    ? `<h2>Calls now</h2><ul class="card-fine">${status.calls
        .map(
          (c) =>
            `<li data-call="${esc(c.state)}">${esc(c.from)} → ${esc(c.to)}: ${esc(c.state)} since ${esc(new Date(c.startedAt).toISOString().slice(11, 19))} UTC</li>`,
        )
        .join("")}</ul>`
    : "";
  const asterisk = status.asterisk
    ? `<section aria-labelledby="asterisk-title"><h2 id="asterisk-title">Asterisk</h2><p>AMI link: ${esc(status.asterisk.link.state)}${status.asterisk.link.reason ? ` (${esc(status.asterisk.link.reason)})` : ""}; ${status.asterisk.registrations.length} contact(s), ${status.asterisk.calls.length} active channel(s).</p>${clickToCall(status)}</section>`
    : "";
  return pageShell({
    title: "Phones",
    path: "page",
    script: "phones-page.js",
    refreshSeconds: 30,
    body: `<section class="services" aria-labelledby="phones-title">
<div class="section-head"><h1 id="phones-title">Phones</h1><p class="summary">${esc(summary)}</p></div>
${problem}
${cards ? `<ul class="cards">${cards}</ul>` : empty}
${calls}
${sources ? `<h2>Voicemail sources</h2><ul class="cards">${sources}</ul>` : ""}
${asterisk}
<p class="card-fine" id="action-status" role="status"></p>
</section>`,
  });
}

function extensionCard(e: ExtensionStatusView): string {
  const isSilent =
    e.contacts.length > 0 && e.contacts.every((c) => c.reachability?.state === "unreachable");
  const look =
    e.contacts.length === 0
      ? { card: "off", badge: "Offline" }
      : isSilent
        ? { card: "degraded", badge: "Registered, not answering" }
        : { card: "ok", badge: "Registered" };
  const contacts = e.contacts.length
    ? `<ul class="card-fine">${e.contacts
        .map(
          (c) =>
            `<li${c.reachability ? ` data-reachability="${c.reachability.state}"` : ""}>${esc(c.userAgent ?? "phone")} at ${esc(c.via)}, until ${esc(c.expiresAt.slice(11, 16))} UTC${esc(reachabilityText(c))}</li>`,
        )
        .join("")}</ul>`
    : '<p class="card-meta">No phone is registered.</p>';
  const counts = e.mailbox
    ? e.voicemail
      ? `: ${e.voicemail.new} new, ${e.voicemail.old} old in ${esc(e.mailbox)}`
      : ` (${esc(e.mailbox)} not counted yet)`
    : " (no mailbox set)";
  const forced = e.lampOverride ? `, forced ${e.lampOverride} from here` : "";
  const told = e.lastNotify
    ? `<p class="card-fine">Last NOTIFY ${esc(e.lastNotify.at.slice(11, 19))} UTC (${esc(e.lastNotify.via)}): the phone answered ${e.lastNotify.status} ${esc(e.lastNotify.reason)}</p>`
    : "";
  const lamp = `<p class="card-meta" data-lamp-state="${e.lamp ? "on" : "off"}">Lamp ${e.lamp ? "on" : "off"}${counts}${forced}; told by ${esc(e.mwi)}${e.subscribers ? `, ${e.subscribers} subscribed` : ""}</p>${told}
<p><button type="button" data-lamp-ext="${esc(e.number)}" data-lamp="on">Test lamp on</button> <button type="button" data-lamp-ext="${esc(e.number)}" data-lamp="off">${e.markReadOnClear ? "Clear (mark notices read)" : "Lamp off"}</button> <button type="button" data-lamp-ext="${esc(e.number)}" data-lamp="auto"${e.lampOverride ? "" : " disabled"}>Follow mailbox</button></p>`;
  return `<li class="card card--${look.card}" data-extension="${esc(e.number)}"><div class="card-head"><h2 class="card-title">${esc(e.number)} · ${esc(e.name)}</h2><span class="badge badge--${look.card}"><span class="badge-dot" aria-hidden="true"></span>${look.badge}</span></div>
${contacts}${lamp}</li>`;
}

/** "; answers in 12 ms", "; not answering (…)" or "; checking…"; "" when qualify is off. */
function reachabilityText(c: ContactStatus): string {
  const r = c.reachability;
  if (r === undefined) return "";
  if (r.state === "reachable") return `; answers in ${r.roundTripMs ?? 0} ms`;
  if (r.state === "unreachable")
    return `; not answering (no reply to OPTIONS at ${r.checkedAt?.slice(11, 19) ?? "?"} UTC)`;
  return "; checking whether it answers";
}

function sourceCard(s: SourceStatusView): string {
  const card =
    s.health.state === "ok" ? "ok" : s.health.state === "degraded" ? "degraded" : "failed";
  const counts = s.state ? `${s.state.new} new, ${s.state.old} old` : "not counted yet";
  const problem =
    s.health.state === "ok"
      ? ""
      : `<p class="card-reason">${esc(s.health.reason ?? "")}</p>${s.health.fix ? `<p class="card-fix"><strong>What to do:</strong> ${esc(s.health.fix)}</p>` : ""}`;
  return `<li class="card card--${card}" data-source="${esc(s.name)}"><div class="card-head"><h3 class="card-title">${esc(s.name)}</h3><span class="badge badge--${card}"><span class="badge-dot" aria-hidden="true"></span>${esc(s.kind)}</span></div><p class="card-meta">${esc(counts)}</p>${problem}</li>`;
}

/** Asterisk rings the chosen extension, then dials the number (POST /api/pbx/call). */
function clickToCall(status: PhonesStatus): string {
  const options = status.extensions
    .map((e) => `<option value="${esc(e.number)}">${esc(e.number)} ${esc(e.name)}</option>`)
    .join("");
  return `<form id="click-to-call" class="card-fine"><label>Ring <select name="from">${options}</select></label> <label>then dial <input name="to" required pattern="[0-9*#+]{1,32}" inputmode="tel" size="16" aria-label="number to dial"></label> <button type="submit">Call</button></form>`;
}
