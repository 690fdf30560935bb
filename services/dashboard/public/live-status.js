/* global EventSource, setTimeout, clearTimeout */
import { api } from "./api.js";

/**
 * Follows /api/events (Server-Sent Events). The browser reconnects by itself after network
 * errors; when the server refuses the stream (401 after hearth restarted, since sessions live in
 * memory) the session is checked: logged out → `onLoggedOut`, else retry with backoff.
 * @param {{ onStatus: (s: object) => void, onState: (s: "live"|"reconnecting") => void, onLoggedOut: () => void }} handlers
 */
export function liveStatus(handlers) {
  let source = null;
  let retryTimer = null;
  let retryMs = 2000;
  let isClosed = false;

  function open() {
    source = new EventSource("/api/events");
    source.addEventListener("open", () => {
      retryMs = 2000;
      handlers.onState("live");
    });
    source.addEventListener("status", (event) => handlers.onStatus(JSON.parse(event.data)));
    source.addEventListener("error", () => {
      if (isClosed) return;
      handlers.onState("reconnecting");
      if (source.readyState === EventSource.CLOSED) void recover();
    });
  }

  async function recover() {
    source.close();
    try {
      const session = await api("/api/session");
      if (!session.authenticated) {
        handlers.onLoggedOut();
        return;
      }
    } catch {
      // hearth unreachable: keep trying, the indicator already says "Reconnecting…".
    }
    if (isClosed) return;
    retryTimer = setTimeout(open, retryMs);
    retryMs = Math.min(retryMs * 2, 30_000);
  }

  open();
  const close = () => {
    isClosed = true;
    clearTimeout(retryTimer);
    source?.close();
  };
  return { close };
}
