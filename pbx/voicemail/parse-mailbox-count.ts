import { z } from "zod";
import type { MailboxState } from "./voicemail-source.js";

/** More than this many waiting messages is a broken script or page, not a mailbox. */
const MAX_COUNT = 1_000_000;

const count = z.number().int().min(0).max(MAX_COUNT);
const countJson = z.union([
  count.transform((n) => ({ new: n, old: 0 })),
  z.object({ new: count, old: count.default(0) }),
]);

/**
 * Reads what a command printed or a URL answered: a bare count (`3`, new messages) or JSON
 * (`3` or `{"new":3,"old":1}`, old optional). Returns the state, or a sentence saying what was
 * wrong with the text; never throws, whatever the bytes.
 */
export function parseMailboxCount(text: string): MailboxState | string {
  const trimmed = text.trim();
  if (trimmed === "")
    return 'it printed nothing; expected a count like 3 or JSON like {"new":3,"old":1}';
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    // Not JSON: the caller reports the text itself, which is more useful than the parser's message.
    return `expected a count like 3 or JSON like {"new":3,"old":1}, got ${quote(trimmed)}`;
  }
  const parsed = countJson.safeParse(value);
  if (parsed.success) return parsed.data;
  return `expected a count from 0 to ${MAX_COUNT} or JSON like {"new":3,"old":1}, got ${quote(trimmed)}`;
}

function quote(text: string): string {
  const short = text.length > 60 ? `${text.slice(0, 60)}…` : text;
  return JSON.stringify(short);
}
