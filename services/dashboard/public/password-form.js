import { api } from "./api.js";
import { h } from "./dom.js";

let formCount = 0;

/**
 * The change-password form (used in the first-run banner and in the Password dialog).
 * @param {{ onChanged: () => void, firstRun?: boolean }} options
 * @returns {HTMLFormElement}
 */
export function passwordForm(options) {
  const id = `pw${++formCount}`;
  const error = h("p", { id: `${id}-error`, class: "form-error", role: "alert", hidden: true });
  const current = field(`${id}-current`, "Current password", "current-password", {
    hint: options.firstRun ? "The first-run password you just signed in with." : undefined,
  });
  const next = field(`${id}-next`, "New password", "new-password", {
    hint: "At least 10 characters. A few unrelated words are easy to remember and hard to guess.",
    minLength: 10,
  });
  const repeat = field(`${id}-repeat`, "Repeat the new password", "new-password", {});
  const submit = h("button", { type: "submit", class: "button button--primary" }, "Save password");
  const form = h(
    "form",
    { class: "form form--password", noValidate: true },
    h("div", { class: "form-grid" }, current.wrap, next.wrap, repeat.wrap),
    error,
    h("div", { class: "form-actions" }, submit),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void save({ form, current, next, repeat, error, submit }, options.onChanged);
  });
  return form;
}

async function save({ form, current, next, repeat, error, submit }, onChanged) {
  const problem = check(current.input.value, next.input.value, repeat.input.value);
  if (problem !== null) {
    return showError(error, problem.message, problem.input(current, next, repeat));
  }
  submit.disabled = true;
  try {
    await api("/api/password", {
      method: "POST",
      body: { current: current.input.value, next: next.input.value },
    });
    form.reset();
    error.hidden = true;
    onChanged();
  } catch (err) {
    showError(error, err.message, err.status === 403 ? current.input : next.input);
  } finally {
    submit.disabled = false;
  }
}

function check(current, next, repeat) {
  if (current === "") return { message: "Enter your current password.", input: (c) => c.input };
  if (next.length < 10) {
    return { message: "The new password needs at least 10 characters.", input: (_c, n) => n.input };
  }
  if (next !== repeat) {
    return { message: "The two new passwords are not the same.", input: (_c, _n, r) => r.input };
  }
  return null;
}

function field(id, label, autocomplete, { hint, minLength }) {
  const hintEl = hint ? h("p", { id: `${id}-hint`, class: "field-hint" }, hint) : null;
  const input = h("input", {
    id,
    type: "password",
    autocomplete,
    required: true,
    minLength,
    "aria-describedby": hintEl ? `${id}-hint` : undefined,
  });
  const wrap = h("div", { class: "field" }, h("label", { for: id }, label), input, hintEl);
  return { wrap, input };
}

function showError(error, message, input) {
  error.textContent = message;
  error.hidden = false;
  input.setAttribute("aria-invalid", "true");
  input.addEventListener("input", () => input.removeAttribute("aria-invalid"), { once: true });
  input.focus();
}
