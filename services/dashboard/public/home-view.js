/* global document, setInterval, clearInterval */
import { api } from "./api.js";
import { byId, h, replaceChildren } from "./dom.js";
import { formatDuration } from "./format.js";
import { liveStatus } from "./live-status.js";
import { passwordForm } from "./password-form.js";
import { STATE_LABELS, countdownText, serviceCard } from "./service-card.js";
import { renderSystemPanel } from "./system-panel.js";
import { announce, toast } from "./notices.js";

/**
 * The overview page: services, the box, live updates. Returns `destroy()` for when the session ends.
 * @param {{ session: object, onLogout: (message?: string) => void }} options
 */
export function mountHome({ session, onLogout }) {
  byId("home-view").hidden = false;
  const view = { status: null, receivedAtMs: 0, clockOffsetMs: 0, states: new Map(), navKey: "" };
  const cleanups = [
    firstRunBanner(session.mustChangePassword),
    passwordDialog(),
    logoutButton(onLogout),
  ];
  const live = liveStatus({
    onStatus: (status) => render(view, status),
    onState: setLiveIndicator,
    onLoggedOut: () =>
      onLogout("Your session ended (hearth may have restarted). Please sign in again."),
  });
  // A one-second tick for the uptime and restart countdowns only; data comes from the stream.
  const tick = setInterval(() => updateClocks(view), 1000);
  return () => {
    live.close();
    clearInterval(tick);
    for (const cleanup of cleanups) cleanup();
    byId("home-view").hidden = true;
  };
}

function render(view, status) {
  view.receivedAtMs = Date.now();
  // The box's clock may differ from this device's; its "now" is startedAt + uptime.
  view.clockOffsetMs = Date.parse(status.startedAt) + status.uptimeSeconds * 1000 - Date.now();
  announceChanges(view, status.services);
  view.status = status;
  const nowMs = Date.now() + view.clockOffsetMs;
  byId("host-name").textContent = status.hostname;
  byId("host-version").textContent = `v${status.version}`;
  replaceChildren(
    byId("service-list"),
    status.services.map((s) => serviceCard(s, nowMs)),
  );
  renderSummary(status);
  renderNav(view, status.services);
  renderSystemPanel(status);
  updateClocks(view);
}

function updateClocks(view) {
  if (view.status === null) return;
  const uptime = formatDuration(
    view.status.uptimeSeconds + (Date.now() - view.receivedAtMs) / 1000,
  );
  byId("host-uptime").textContent = uptime;
  const fact = document.querySelector('[data-fact="uptime"]');
  if (fact !== null) fact.textContent = uptime;
  const nowMs = Date.now() + view.clockOffsetMs;
  for (const el of document.querySelectorAll("[data-countdown]")) {
    el.textContent = countdownText(Number(el.dataset.countdown), nowMs);
  }
}

function renderSummary(status) {
  const active = status.services.filter((s) => s.state !== "off" && s.state !== "stopped");
  const attention = active.filter((s) => s.state === "failed" || s.state === "degraded").length;
  const starting = active.filter((s) => s.state === "starting").length;
  const summary = byId("summary");
  summary.dataset.tone = attention > 0 ? "attention" : starting > 0 ? "starting" : "ok";
  summary.textContent =
    attention > 0
      ? `${attention} ${attention === 1 ? "service needs" : "services need"} attention`
      : starting > 0
        ? `Starting ${starting} ${starting === 1 ? "service" : "services"}…`
        : active.length > 0
          ? "Everything is running"
          : "No services are turned on";
  document.title = `${attention > 0 ? `(${attention}) ` : ""}hearth · ${status.hostname}`;
}

function renderNav(view, services) {
  const pages = services.flatMap((s) => s.pages ?? []);
  const key = JSON.stringify(pages);
  if (key === view.navKey) return;
  view.navKey = key;
  replaceChildren(
    byId("nav-list"),
    h("li", null, h("a", { href: "/", "aria-current": "page" }, "Overview")),
    pages.map((page) => h("li", null, h("a", { href: page.path }, page.title))),
  );
}

function announceChanges(view, services) {
  const changes = [];
  for (const s of services) {
    const before = view.states.get(s.name);
    if (before !== undefined && before !== s.state) {
      changes.push(`${s.title || s.name}: ${STATE_LABELS[s.state] ?? s.state}`);
    }
    view.states.set(s.name, s.state);
  }
  if (changes.length > 0) announce(changes.join(". "));
}

function setLiveIndicator(state) {
  const live = byId("live");
  live.dataset.state = state;
  byId("live-text").textContent = state === "live" ? "Live" : "Reconnecting…";
  live.title =
    state === "live"
      ? "Updates arrive as they happen"
      : "The connection to hearth dropped; trying again";
}

function firstRunBanner(isFirstRun) {
  const banner = byId("first-run-banner");
  const toggle = byId("banner-toggle");
  const slot = byId("banner-form-slot");
  banner.hidden = !isFirstRun;
  if (!isFirstRun) return () => {};
  const form = passwordForm({
    firstRun: true,
    onChanged: () => {
      banner.hidden = true;
      toast("Password saved. Use it from now on; the first-run password no longer works.");
    },
  });
  replaceChildren(slot, form);
  const onToggle = () => {
    const isOpen = slot.hidden;
    slot.hidden = !isOpen;
    banner.toggleAttribute("data-open", isOpen);
    toggle.setAttribute("aria-expanded", String(isOpen));
    toggle.textContent = isOpen ? "Not now" : "Choose a new password";
    if (isOpen) form.querySelector("input")?.focus();
  };
  toggle.addEventListener("click", onToggle);
  return () => toggle.removeEventListener("click", onToggle);
}

function passwordDialog() {
  const dialog = byId("password-dialog");
  const open = () => {
    replaceChildren(
      byId("dialog-form-slot"),
      passwordForm({
        onChanged: () => {
          dialog.close();
          byId("first-run-banner").hidden = true;
          toast("Password changed. Other browsers were signed out.");
        },
      }),
    );
    dialog.showModal();
  };
  const close = () => dialog.close();
  byId("open-password").addEventListener("click", open);
  byId("password-dialog-close").addEventListener("click", close);
  return () => {
    byId("open-password").removeEventListener("click", open);
    byId("password-dialog-close").removeEventListener("click", close);
  };
}

function logoutButton(onLogout) {
  const button = byId("logout");
  const logout = async () => {
    button.disabled = true;
    try {
      await api("/api/logout", { method: "POST" });
      onLogout("You have signed out.");
    } catch (err) {
      toast(`Could not sign out: ${err.message}`);
    } finally {
      button.disabled = false;
    }
  };
  button.addEventListener("click", logout);
  return () => button.removeEventListener("click", logout);
}
