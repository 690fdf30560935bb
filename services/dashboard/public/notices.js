/* global setTimeout, clearTimeout */
import { byId } from "./dom.js";

let toastTimer = null;

/** A short message at the bottom of the screen (also read by screen readers). */
export function toast(message) {
  const el = byId("toast");
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    el.hidden = true;
  }, 6000);
}

/** Tells screen-reader users about a change they cannot see happen (a service changed state). */
export function announce(message) {
  const el = byId("announcer");
  el.textContent = "";
  // A fresh text node after clearing makes screen readers announce repeats too.
  setTimeout(() => {
    el.textContent = message;
  }, 50);
}
