/* global fetch */
/** An API call that failed: `status` 0 means hearth could not be reached at all. */
export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let csrfToken = null;

/** Remembers the session's CSRF token; every state-changing call sends it. */
export function setCsrfToken(token) {
  csrfToken = token ?? null;
}

/**
 * Calls the hearth API with JSON in and out.
 * @param {string} path
 * @param {{ method?: string, body?: unknown }} [options]
 */
export async function api(path, options = {}) {
  const method = options.method ?? "GET";
  const headers = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken !== null) headers["x-csrf-token"] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, "hearth cannot be reached. Check that the box is on and on the network.");
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, data.error ?? `hearth answered ${response.status}`, data);
  }
  return data;
}
