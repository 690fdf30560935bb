import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** One response as curl saw it: status, header lines as sent, and the body bytes. */
export interface CurlReply {
  status: number;
  /** Header lines exactly as received ("contentFeatures.dlna.org: DLNA.ORG_PN=MP3;…"). */
  lines: string[];
  body: Buffer;
  /** The value of a header, case-insensitively; undefined when absent. */
  header(name: string): string | undefined;
}

/**
 * Fetches `url` with curl (a real HTTP client: its own parser, ranges, HEAD), `--path-as-is` so
 * path tricks reach the server unchanged. `args` go before the URL (`-r 0-99`, `-H 'Range: …'`).
 */
export async function curl(url: string, args: string[] = []): Promise<CurlReply> {
  const dir = await mkdtemp(join(tmpdir(), "hearth-curl-"));
  try {
    const bodyFile = join(dir, "body");
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        "curl",
        ["-s", "--path-as-is", "-D", "-", "-o", bodyFile, ...args, url],
        { encoding: "latin1", maxBuffer: 1024 * 1024 },
        (err, out) => (err ? reject(err) : resolve(out)),
      );
    });
    const [statusLine = "", ...lines] = stdout.split("\r\n").filter((line) => line !== "");
    // curl writes no body file when no body came (HEAD, 304): that is an empty body.
    const body = await readFile(bodyFile).catch(() => Buffer.alloc(0));
    return {
      status: Number(statusLine.split(" ")[1]),
      lines,
      body,
      header(name) {
        const prefix = `${name.toLowerCase()}:`;
        const line = lines.find((l) => l.toLowerCase().startsWith(prefix));
        return line?.slice(prefix.length).trim();
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Sends `request` (raw HTTP/1.1 text) on a fresh connection and returns every byte the server
 * sent until it closed: for what curl hides (a HEAD reply's missing body).
 */
export function rawExchange(port: number, request: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", () => resolve(Buffer.concat(chunks)));
    socket.on("error", reject);
    socket.write(request);
  });
}
