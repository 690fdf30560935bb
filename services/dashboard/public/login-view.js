/* global document */
import { api } from "./api.js";
import { byId } from "./dom.js";

/**
 * The sign-in page. Returns `destroy()`.
 * @param {{ session: object, message?: string, onLoggedIn: () => void }} options
 */
export function mountLogin({ session, message, onLoggedIn }) {
  const view = byId("login-view");
  const form = byId("login-form");
  const input = byId("login-password");
  const show = byId("login-show");
  view.hidden = false;
  document.title = "Sign in · hearth";
  showHelp(session);
  showMessage(message ?? "", "info");
  const onShow = () => {
    input.type = show.checked ? "text" : "password";
  };
  const onSubmit = async (event) => {
    event.preventDefault();
    if (input.value === "") return showMessage("Enter the admin password.", "error");
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await api("/api/login", { method: "POST", body: { password: input.value } });
      input.value = "";
      onLoggedIn();
    } catch (err) {
      showMessage(loginError(err), "error");
    } finally {
      button.disabled = false;
    }
  };
  show.addEventListener("change", onShow);
  form.addEventListener("submit", onSubmit);
  input.focus();
  return () => {
    show.removeEventListener("change", onShow);
    form.removeEventListener("submit", onSubmit);
    view.hidden = true;
  };
}

function loginError(err) {
  if (err.status === 401)
    return "That password is not right. Check for typos: it is case-sensitive.";
  // 429 (too many tries) and "cannot be reached" come with a sentence from api.js or the server.
  return err.message.charAt(0).toUpperCase() + err.message.slice(1) + ".";
}

function showMessage(text, tone) {
  const el = byId("login-error");
  const input = byId("login-password");
  el.textContent = text;
  el.hidden = text === "";
  el.dataset.tone = tone;
  if (tone === "error" && text !== "") {
    input.setAttribute("aria-invalid", "true");
    input.select();
  } else input.removeAttribute("aria-invalid");
}

function showHelp(session) {
  const firstRun = byId("login-first-run");
  firstRun.hidden = !session.initialPasswordFile;
  if (session.initialPasswordFile) {
    byId("login-first-run-command").textContent = `sudo cat ${session.initialPasswordFile}`;
  }
  if (session.adminFile) byId("login-admin-file").textContent = session.adminFile;
}
