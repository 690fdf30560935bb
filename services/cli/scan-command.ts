import { ConfigError, loadConfig, resolveDataDir } from "../config/index.js";
import { controlRequest } from "../control/control-client.js";
import { clientSocketPaths } from "../control/socket-path.js";
import { describeError, HearthError } from "../errors.js";
import { EXIT } from "../host/shutdown.js";
import { errorText, fail } from "./cli-output.js";

/** The media service's scan progress, as GET /api/media/scan answers it. */
interface ScanProgress {
  phase: "idle" | "scanning" | "watching";
  filesSeen: number;
  filesProcessed: number;
  filesFailed: number;
  ratePerSecond: number;
  etaSeconds: number | null;
}

/**
 * `hearth scan [--full] [--wait]`: asks the running hearth to rescan its media roots (changed files
 * only, or every file with --full); with --wait, follows the progress until the scan is done,
 * drawing a bar on a terminal.
 */
export async function scanCommand(opts: {
  full?: boolean;
  wait?: boolean;
  config?: string;
  data?: string;
  socket?: string;
}): Promise<number> {
  try {
    const { config } = loadConfig({ path: opts.config, env: process.env });
    const dataDir = resolveDataDir({ cliData: opts.data, config, env: process.env });
    const sockets = clientSocketPaths({ flag: opts.socket, dataDir });
    const started = await controlRequest(sockets, "POST", "/api/media/scan", {
      full: opts.full === true,
    });
    if (started.statusCode !== 202)
      return fail(`hearth refused the scan: ${errorText(started.body)}`);
    process.stdout.write(`scan started${opts.full ? " (full)" : ""}\n`);
    if (opts.wait) return await follow(sockets);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ConfigError) return fail(err.format());
    const fix = err instanceof HearthError && err.fix ? `\n${err.fix}` : "";
    return fail(`${describeError(err)}${fix}`);
  }
}

async function follow(sockets: string[]): Promise<number> {
  const isTty = process.stdout.isTTY === true;
  for (;;) {
    await new Promise((r) => setTimeout(r, 500));
    const answer = await controlRequest(sockets, "GET", "/api/media/scan");
    if (answer.statusCode !== 200)
      return fail(`hearth answered ${answer.statusCode}: ${errorText(answer.body)}`);
    const p = JSON.parse(answer.body) as ScanProgress;
    if (isTty) process.stdout.write(`\r${bar(p)}`);
    if (p.phase !== "scanning") {
      process.stdout.write(
        `${isTty ? "\n" : ""}scan done: ${p.filesProcessed} files indexed, ${p.filesFailed} unreadable, ${p.filesSeen} seen\n`,
      );
      return EXIT.ok;
    }
  }
}

/** "[#########-----------]  45 %  1234/2740 files  310/s  ETA 5 s" */
export function bar(p: ScanProgress, width = 24): string {
  const total = Math.max(p.filesSeen, p.filesProcessed, 1);
  const share = Math.min(1, p.filesProcessed / total);
  const filled = Math.round(share * width);
  const eta = p.etaSeconds === null ? "" : `  ETA ${Math.round(p.etaSeconds)} s`;
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)} %  ${p.filesProcessed}/${p.filesSeen} files  ${Math.round(p.ratePerSecond)}/s${eta}`;
}
