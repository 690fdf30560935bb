// The Media page's one script: pins a control point's profile when the user picks one.
/* global document, fetch */
const status = document.getElementById("client-save-status");

async function csrfToken() {
  const session = await fetch("/api/session", { credentials: "same-origin" }).then((r) => r.json());
  return session.csrfToken ?? "";
}

async function save(select) {
  const address = select.dataset.clientAddress;
  const profile = select.value === "" ? null : select.value;
  status.textContent = "Saving…";
  const response = await fetch(`/api/media/clients/${encodeURIComponent(address)}`, {
    method: "PUT",
    credentials: "same-origin",
    headers: { "content-type": "application/json", "x-csrf-token": await csrfToken() },
    body: JSON.stringify({ profile }),
  });
  status.textContent = response.ok
    ? `Saved: ${address} now gets ${select.selectedOptions[0]?.textContent ?? "its detected profile"}.`
    : `Not saved (${response.status}). Reload the page and try again.`;
}

for (const select of document.querySelectorAll("select[data-client-address]")) {
  select.addEventListener("change", () => void save(select));
}
