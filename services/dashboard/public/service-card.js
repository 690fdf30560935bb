import { h } from "./dom.js";
import { formatDetail, formatDuration, formatMoment, humanizeKey } from "./format.js";

/** Badge words for each ServiceState; the colour is never the only signal. */
export const STATE_LABELS = {
  ok: "Running",
  degraded: "Degraded",
  failed: "Failed",
  off: "Off",
  starting: "Starting",
  stopped: "Stopped",
};

const MAX_DETAILS = 6;

/**
 * One service's card: title, state badge, reason and fix in plain words, a few details, and for
 * a failed service the restart count and a countdown to the next try.
 * @param {object} service a ServiceStatus from /api/status
 * @param {number} nowMs the box's clock (see home-view's clock offset)
 */
export function serviceCard(service, nowMs) {
  const state = service.state in STATE_LABELS ? service.state : "off";
  return h(
    "li",
    { class: `card card--${state}`, "data-service": service.name, "data-state": state },
    h(
      "div",
      { class: "card-head" },
      h("h2", { class: "card-title" }, service.title || service.name),
      badge(state),
    ),
    service.reason ? h("p", { class: "card-reason" }, service.reason) : null,
    service.fix
      ? h("p", { class: "card-fix" }, h("strong", null, "What to do: "), service.fix)
      : null,
    state === "ok" && !service.reason && !service.details
      ? h("p", { class: "card-fine" }, "Working normally.")
      : null,
    details(service.details),
    pageLinks(service.pages),
    meta(service, nowMs),
  );
}

/** The text the countdown shows for a restart at `atMs`. */
export function countdownText(atMs, nowMs) {
  const seconds = Math.round((atMs - nowMs) / 1000);
  return seconds > 0 ? `next try in ${formatDuration(seconds)}` : "trying again now…";
}

function badge(state) {
  return h(
    "span",
    { class: `badge badge--${state}` },
    h("span", { class: "badge-dot", "aria-hidden": "true" }),
    STATE_LABELS[state],
  );
}

function details(record) {
  const entries = Object.entries(record ?? {})
    .filter(([, v]) => ["string", "number", "boolean"].includes(typeof v))
    .slice(0, MAX_DETAILS);
  if (entries.length === 0) return null;
  return h(
    "dl",
    { class: "facts facts--card" },
    entries.map(([key, value]) =>
      h(
        "div",
        { class: "fact" },
        h("dt", null, humanizeKey(key.replace(/Bytes$/, ""))),
        h("dd", null, formatDetail(key, value)),
      ),
    ),
  );
}

function pageLinks(pages) {
  if (!Array.isArray(pages) || pages.length === 0) return null;
  return h(
    "p",
    { class: "card-links" },
    pages.map((page) => h("a", { href: page.path, class: "card-link" }, `${page.title} →`)),
  );
}

function meta(service, nowMs) {
  const items = [];
  const sinceMs = Date.parse(service.since);
  if (Number.isFinite(sinceMs)) {
    items.push(
      `${STATE_LABELS[service.state] ?? "In this state"} since ${formatMoment(sinceMs, nowMs)}`,
    );
  }
  if (service.restarts > 0) {
    items.push(`restarted ${service.restarts} ${service.restarts === 1 ? "time" : "times"}`);
  }
  const retryMs = Date.parse(service.nextRestartAt ?? "");
  if (service.state === "failed" && Number.isFinite(retryMs)) {
    items.push(
      h("span", { class: "countdown", "data-countdown": retryMs }, countdownText(retryMs, nowMs)),
    );
  }
  if (items.length === 0) return null;
  const parts = items.flatMap((item, i) => (i === 0 ? [item] : [" · ", item]));
  return h("p", { class: "card-meta" }, parts);
}
