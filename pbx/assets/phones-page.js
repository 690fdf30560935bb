// The Phones page's script: the "test lamp" buttons (POST /api/pbx/mwi/:ext), when the page has them.
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
