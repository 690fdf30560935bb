/* global setTimeout */
import { api, setCsrfToken } from "./api.js";
import { byId } from "./dom.js";
import { mountHome } from "./home-view.js";
import { mountLogin } from "./login-view.js";

/** Tears down whichever view is showing. */
let teardown = null;

/**
 * Asks /api/session who we are and shows the sign-in page or the overview.
 * @param {string} [message] shown on the sign-in page (e.g. after signing out)
 */
async function boot(message) {
  let session;
  try {
    session = await api("/api/session");
  } catch (err) {
    byId("boot").hidden = false;
    byId("boot-message").textContent = `${err.message} Trying again…`;
    setTimeout(() => void boot(message), 3000);
    return;
  }
  byId("boot").hidden = true;
  teardown?.();
  if (session.authenticated) {
    setCsrfToken(session.csrfToken);
    teardown = mountHome({
      session,
      onLogout: (text) => {
        setCsrfToken(null);
        void boot(text);
      },
    });
  } else {
    setCsrfToken(null);
    teardown = mountLogin({ session, message, onLoggedIn: () => void boot() });
  }
}

void boot();
