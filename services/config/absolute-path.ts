import { z } from "zod";
import { describeValue } from "./describe-value.js";

/**
 * A string option holding an absolute filesystem path. hearth runs under systemd with `/` as its
 * working directory and does not expand `~`, so relative paths would silently point elsewhere.
 * `example` appears in the error: `expected an absolute path like /srv/media/Music, got "Music"`.
 */
export function absolutePath(example: string) {
  const message = (issue: { input?: unknown }): string => {
    const input = issue.input;
    const tilde =
      typeof input === "string" && input.startsWith("~")
        ? " (hearth does not expand ~; write the full path)"
        : "";
    return `expected an absolute path like ${example}, got ${describeValue(input)}${tilde}`;
  };
  return z.string({ error: message }).refine((path) => path.startsWith("/"), { error: message });
}
