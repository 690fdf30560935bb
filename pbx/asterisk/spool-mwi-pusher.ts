import { mkdir, readdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { AmiClient } from "./ami-client.js";
import { clampCount, type AsteriskMailbox, type MailboxState } from "./asterisk-mailbox.js";
import type { MwiPusher } from "./mwi-pusher.js";

/** First line of every placeholder we write; files without it are real voicemail and never touched. */
export const PLACEHOLDER_MARK =
  "; hearth placeholder: lights the message-waiting lamp; hearth removes it";

const MESSAGE_FILE = /^msg([0-9]{4})\.txt$/;

/**
 * The spool-file method for stock FreePBX (app_voicemail): app_voicemail counts `msgNNNN.txt` in
 * <spool>/<context>/<mailbox>/INBOX (new) and Old (old) (apps/app_voicemail.c __has_voicemail:
 * names starting "msg" with "txt" at offset 8), so dummy files light the lamp and removing them
 * darkens it. `VoicemailRefresh` (Asterisk ≥ 12) makes it re-scan at once instead of waiting for
 * pollmailboxes/pollfreq. Only files carrying {@link PLACEHOLDER_MARK} are ever removed.
 */
export class SpoolMwiPusher implements MwiPusher {
  readonly #client: AmiClient;
  readonly #spoolDir: string;

  constructor(client: AmiClient, spoolDir: string) {
    this.#client = client;
    this.#spoolDir = spoolDir;
  }

  async push(mailbox: AsteriskMailbox, state: MailboxState): Promise<void> {
    const base = join(this.#spoolDir, mailbox.context, mailbox.mailbox);
    await reconcileFolder(join(base, "INBOX"), clampCount(state.new), mailbox);
    await reconcileFolder(join(base, "Old"), clampCount(state.old), mailbox);
    await this.#client.send("VoicemailRefresh", {
      Context: mailbox.context,
      Mailbox: mailbox.mailbox,
    });
  }
}

/** Makes exactly `wanted` placeholders exist in `dir`, next to whatever real messages are there. */
async function reconcileFolder(
  dir: string,
  wanted: number,
  mailbox: AsteriskMailbox,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const taken = new Set<number>();
  const ours: string[] = [];
  for (const name of (await readdir(dir)).sort()) {
    const match = MESSAGE_FILE.exec(name);
    if (match === null) continue;
    taken.add(Number(match[1]));
    if (await isPlaceholder(join(dir, name))) ours.push(name);
  }
  // Remove from the end so the remaining numbering stays dense, as app_voicemail expects.
  for (const name of ours.slice(wanted).reverse()) await unlink(join(dir, name));
  let next = 0;
  for (let missing = wanted - ours.length; missing > 0; missing--) {
    while (taken.has(next)) next++;
    taken.add(next);
    const name = `msg${String(next).padStart(4, "0")}.txt`;
    await writeFile(join(dir, name), placeholderText(mailbox), { flag: "wx" });
  }
}

async function isPlaceholder(path: string): Promise<boolean> {
  try {
    return (await readFile(path, "utf8")).startsWith(PLACEHOLDER_MARK);
  } catch {
    // Unreadable or vanished between readdir and read: not ours to count or delete.
    return false;
  }
}

/** An app_voicemail message-information file (the [message] section it writes itself). */
function placeholderText(mailbox: AsteriskMailbox): string {
  const now = new Date();
  return [
    PLACEHOLDER_MARK,
    "[message]",
    `origmailbox=${mailbox.mailbox}`,
    `context=${mailbox.context}`,
    "exten=hearth",
    "priority=1",
    "callerchan=hearth",
    'callerid="Voicemail elsewhere" <hearth>',
    `origdate=${now.toUTCString()}`,
    `origtime=${Math.floor(now.getTime() / 1000)}`,
    "duration=0",
    "",
  ].join("\n");
}
