/** What a conserver-style escape asks for. */
export type EscapeCommand = "detach" | "force" | "spectate" | "attach" | "break" | "who" | "help";

const CTRL_E = 0x05;
const LETTER_C = 0x63;

const COMMANDS: Record<string, EscapeCommand> = {
  ".": "detach",
  f: "force",
  s: "spectate",
  a: "attach",
  l: "break",
  w: "who",
  "?": "help",
};

/** The escape help, for `^Ec?` and the README. */
export const ESCAPE_HELP = [
  "Ctrl-E c .   detach",
  "Ctrl-E c f   force: take the write lock from the current writer",
  "Ctrl-E c s   spectate: give up writing, keep watching",
  "Ctrl-E c a   attach read-write if nobody is writing",
  "Ctrl-E c l0  send a serial break (any digit after l)",
  "Ctrl-E c w   who is attached",
  "Ctrl-E c ?   this help",
].join("\r\n");

/**
 * Splits a client's keystrokes into bytes for the board and escape commands, with conserver's
 * escape (Ctrl-E c, then a letter; `l` takes one more character, the break number). Ctrl-E
 * followed by anything else passes through unchanged, so boards that use Ctrl-E still get it.
 * Sequences may be split across chunks; nothing is delayed unless a Ctrl-E is pending.
 */
export class EscapeParser {
  /** 0: plain; 1: saw Ctrl-E; 2: saw Ctrl-E c; 3: saw Ctrl-E c l. */
  #stage = 0;

  feed(bytes: Buffer): Array<Buffer | EscapeCommand> {
    if (this.#stage === 0 && !bytes.includes(CTRL_E)) return [bytes];
    const out: Array<Buffer | EscapeCommand> = [];
    let plainStart = -1;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (this.#stage === 0) {
        if (byte !== CTRL_E) {
          if (plainStart < 0) plainStart = i;
          continue;
        }
        if (plainStart >= 0) out.push(bytes.subarray(plainStart, i));
        plainStart = -1;
        this.#stage = 1;
      } else if (this.#stage === 1) {
        if (byte === LETTER_C) {
          this.#stage = 2;
          continue;
        }
        // Not an escape after all: the Ctrl-E goes to the board, and so does this byte.
        out.push(Buffer.from([CTRL_E]));
        if (byte !== CTRL_E) {
          this.#stage = 0;
          plainStart = i;
        }
      } else if (this.#stage === 2) {
        const command = COMMANDS[String.fromCharCode(byte)] ?? "help";
        if (command === "break") this.#stage = 3;
        else {
          out.push(command);
          this.#stage = 0;
        }
      } else {
        out.push("break");
        this.#stage = 0;
      }
    }
    if (plainStart >= 0) out.push(bytes.subarray(plainStart));
    return out;
  }
}
