// The Phones page's script: the "test lamp" buttons (POST /api/pbx/mwi/:ext), when the page has them,
// and the click-to-call form (POST /api/pbx/call) when Asterisk is configured.
/* global document, fetch, location */
const status = document.getElementById("action-status");

async function csrfToken() {
  const session = await fetch("/api/session", { credentials: "same-origin" }).then((r) => r.json());
  return session.csrfToken ?? "";
}

document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-lamp-ext]");
  if (!button) return;
  button.disabled = true;
  try {
    const response = await fetch(`/api/pbx/mwi/${encodeURIComponent(button.dataset.lampExt)}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": await csrfToken() },
      body: JSON.stringify({ lamp: button.dataset.lamp }),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(json.error ?? `error ${response.status}`);
    location.reload();
  } catch (err) {
    status.textContent = `Could not set the lamp: ${err.message}`;
    button.disabled = false;
  }
});

document.getElementById("click-to-call")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const from = form.elements.from.value;
  const to = form.elements.to.value;
  status.textContent = `Ringing ${from}; Asterisk dials ${to} when it answers…`;
  try {
    const response = await fetch("/api/pbx/call", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": await csrfToken() },
      body: JSON.stringify({ from, to }),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(json.error ?? `error ${response.status}`);
    status.textContent = json.isSuccess
      ? `${from} answered; Asterisk is dialling ${to}.`
      : `${from} did not answer (Asterisk reason ${json.reason ?? "unknown"}).`;
  } catch (err) {
    status.textContent = `Could not place the call: ${err.message}`;
  }
});
