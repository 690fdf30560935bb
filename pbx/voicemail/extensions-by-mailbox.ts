import type { ExtensionConfig } from "../config-schema.js";

/**
 * Which extensions show which source's lamp: source name → extension numbers, from each
 * extension's `mailbox` key. Several phones may share one mailbox (the kitchen and the office
 * phone both light for the family's Google Voice number); a source no extension names is absent.
 */
export function extensionsByMailbox(
  extensions: Readonly<Record<string, Pick<ExtensionConfig, "mailbox">>>,
): Map<string, string[]> {
  const byMailbox = new Map<string, string[]>();
  for (const [number, extension] of Object.entries(extensions)) {
    if (extension.mailbox === undefined) continue;
    const list = byMailbox.get(extension.mailbox) ?? [];
    list.push(number);
    byMailbox.set(extension.mailbox, list);
  }
  return byMailbox;
}
