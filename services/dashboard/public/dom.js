/* global document, Node */
/**
 * A tiny element builder. Text always goes in as text nodes, never as HTML, so whatever a
 * service puts in its reason or details cannot inject markup into the dashboard.
 * @param {string} tag
 * @param {Record<string, unknown> | null} [attrs] class, dataset-like "data-*", aria-*, and properties
 * @param {...(Node | string | number | null | undefined | false)} children
 * @returns {HTMLElement}
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = String(value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key.includes("-") || key === "role" || key === "for") {
      el.setAttribute(key, value === true ? "" : String(value));
    } else el[key] = value;
  }
  append(el, children);
  return el;
}

/** Appends children, skipping empty ones. */
export function append(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces all children of `el`. */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

/** Shorthand for document.getElementById that fails loudly when the page and script disagree. */
export function byId(id) {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the dashboard page has no #${id}; reload the page`);
  return el;
}
