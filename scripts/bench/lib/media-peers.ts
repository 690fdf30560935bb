import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { NODE_FLAGS } from "../../../services/node-flags.js";
import type { BenchNetns } from "./netns.js";

/** A media server under benchmark: started on a corpus, asked how many media items it lists. */
export interface MediaPeer {
  readonly name: string;
  /** Starts the server (keeping its state from an earlier start); resolves with its pid. */
  start(): Promise<number>;
  /** Media items the server has indexed so far. */
  itemCount(): Promise<number>;
  /** True once the server says its scan is over (or, for Gerbera, its count has been still a while). */
  isScanDone(): Promise<boolean>;
  /** For peers judged by a quiet period: when the count last changed (the real end of the scan). */
  lastChangeAt?(): number;
  /**
   * hearth only: catalog write batches it issued since its start. Tells its own writes apart from
   * LevelDB compacting earlier ones in the background, which the disk-bytes column also counts.
   */
  catalogBatches?(): Promise<number>;
  stop(): Promise<void>;
}

function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A count from a peer's sqlite file (0 while it holds its write lock longer than 2 s).
 * `isImmutable` reads the file as it is on disk, without taking a lock: Gerbera 1.1 keeps its
 * database locked for as long as it runs, so a locking read always fails ("database is
 * locked"). Its commits are in the file, so the count is current.
 */
function sqliteCount(db: string, sql: string, isImmutable = false): number {
  if (!existsSync(db)) return 0;
  try {
    const file = isImmutable ? `${pathToFileURL(db).href}?immutable=1` : db;
    const args = ["-readonly", "-cmd", ".timeout 2000", file, sql];
    return Number(execFileSync("sqlite3", args, { stdio: "pipe" }).toString().trim()) || 0;
  } catch {
    return 0;
  }
}

async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

/** How hearthPeer runs hearth besides its corpus and port. */
export interface HearthPeerOptions {
  /** --listen; default 127.0.0.1 (0.0.0.0 only inside a network namespace). */
  listen?: string;
  /** hearth's stdout and stderr (its JSON log) go to this file; default: discarded. */
  logFile?: string;
}

/** hearth from dist/, its media root on the corpus, asked through its control socket. */
export function hearthPeer(
  root: string,
  corpus: string,
  state: string,
  port: number,
  options: HearthPeerOptions = {},
): MediaPeer {
  const config = join(state, "hearth.yaml");
  const data = join(state, "data");
  mkdirSync(state, { recursive: true });
  writeFileSync(config, `media:\n  roots:\n    - { path: "${corpus}", kind: music }\n`);
  let child: ChildProcess | undefined;
  let startedAt = 0;
  const summary = async () => {
    const { controlRequest } = await import("../../../services/control/control-client.js");
    const answer = await controlRequest([join(data, "hearth.sock")], "GET", "/api/media/summary");
    return JSON.parse(answer.body) as {
      counts?: { tracks: number; videos: number; pictures: number };
      progress?: { phase: string };
      roots: Array<{ lastScanAt: string | null }>;
    };
  };
  return {
    name: "hearth",
    async start() {
      startedAt = Date.now();
      const log = options.logFile === undefined ? "ignore" : openSync(options.logFile, "a");
      child = spawn(
        process.execPath,
        [
          ...NODE_FLAGS, // as every launcher runs hearth (services/node-flags.ts)
          join(root, "dist/services/main.js"),
          "start",
          "--config",
          config,
          "--data",
          data,
          "--listen",
          options.listen ?? "127.0.0.1",
          "--port",
          String(port),
        ],
        { env: { PATH: process.env.PATH, HOME: state }, stdio: ["ignore", log, log] },
      );
      if (typeof log === "number") closeSync(log); // the child holds its own copy
      return child.pid ?? 0;
    },
    async catalogBatches() {
      const { controlRequest } = await import("../../../services/control/control-client.js");
      const answer = await controlRequest([join(data, "hearth.sock")], "GET", "/api/status");
      return (JSON.parse(answer.body) as { catalog: { batchesWritten: number } }).catalog
        .batchesWritten;
    },
    async itemCount() {
      const c = (await summary().catch(() => undefined))?.counts;
      return c ? c.tracks + c.videos + c.pictures : 0;
    },
    async isScanDone() {
      if (child?.exitCode !== null) throw new Error(`hearth exited with ${child?.exitCode}`);
      const s = await summary().catch(() => undefined);
      const last = s?.roots?.[0]?.lastScanAt;
      return (
        last !== null &&
        last !== undefined &&
        Date.parse(last) >= startedAt &&
        s?.progress?.phase !== "scanning"
      );
    },
    stop: () => stopChild(child),
  };
}

/** MiniDLNA (Debian's minidlnad) in its own network namespace, read through its sqlite file. */
export function miniDlnaPeer(corpus: string, state: string, netns: BenchNetns): MediaPeer {
  const db = join(state, "db");
  mkdirSync(db, { recursive: true });
  const conf = join(state, "minidlna.conf");
  writeFileSync(
    conf,
    [
      `media_dir=${corpus}`,
      `db_dir=${db}`,
      `log_dir=${db}`,
      "port=18200",
      `network_interface=${netns.device}`,
      "inotify=yes",
      "",
    ].join("\n"),
  );
  let child: ChildProcess | undefined;
  let logOffset = 0;
  let isColdStart = true;
  return {
    name: "minidlna",
    async start() {
      const log = join(db, "minidlna.log");
      logOffset = existsSync(log) ? readFileSync(log).length : 0;
      isColdStart = !existsSync(join(db, "files.db"));
      const [cmd, args] = netns.wrap("minidlnad", ["-S", "-f", conf, "-P", join(db, "pid")]);
      child = spawn(cmd, args, { stdio: "ignore" });
      return child.pid ?? 0;
    },
    async itemCount() {
      return sqliteCount(
        join(db, "files.db"),
        "SELECT COUNT(*) FROM DETAILS WHERE MIME IS NOT NULL;",
      );
    },
    async isScanDone() {
      const log = join(db, "minidlna.log");
      if (!existsSync(log)) return false;
      const fresh = readFileSync(log).subarray(logOffset).toString("utf8");
      // A cold start logs "Scanning <dir> finished (N files)!"; a restart on a current database
      // skips the scan and only logs that HTTP is listening.
      return (isColdStart ? /Scanning .* finished/ : /HTTP listening on port/).test(fresh);
    },
    stop: () => stopChild(child),
  };
}

/** Gerbera (Debian's 1.1) in its own network namespace, read through its sqlite file. */
export function gerberaPeer(corpus: string, state: string, netns: BenchNetns): MediaPeer {
  mkdirSync(state, { recursive: true });
  const conf = join(state, "config.xml");
  // An inotify autoscan of the corpus: Gerbera's own way to index a folder and keep it current.
  const autoscan =
    `<autoscan use-inotify="yes"><directory location="${corpus}" mode="inotify" ` +
    `level="full" recursive="yes" hidden-files="no"/></autoscan>`;
  const xml = readFileSync("/etc/gerbera/config.xml", "utf8")
    .replace(/<home>[^<]*<\/home>/, `<home>${state}</home>`)
    .replace(/(<import[^>]*>)/, `$1${autoscan}`);
  writeFileSync(conf, xml);
  const db = join(state, "gerbera.db");
  let child: ChildProcess | undefined;
  // Gerbera 1.1 holds its database locked while it imports and logs no "done": the scan is over
  // when its CPU time has stood still for 5 s (polling its database would slow it down).
  let stable = { cpu: -1, since: 0 };
  const items = () =>
    sqliteCount(
      db,
      "SELECT COUNT(*) FROM mt_cds_object WHERE ref_id IS NULL AND object_type & 2 = 2 AND location LIKE 'F%';",
      true,
    );
  return {
    name: "gerbera",
    async start() {
      const args = ["-c", conf, "-m", state, "-e", netns.device, "-p", "49152"];
      const [cmd, wrapped] = netns.wrap("gerbera", args);
      child = spawn(cmd, wrapped, { stdio: "ignore" });
      stable = { cpu: -1, since: Date.now() };
      return child.pid ?? 0;
    },
    async itemCount() {
      return items() ?? 0;
    },
    async isScanDone() {
      const cpu = cpuSeconds(child?.pid ?? 0);
      if (cpu - stable.cpu > 0.02) stable = { cpu, since: Date.now() };
      return Date.now() - stable.since > 5_000;
    },
    lastChangeAt: () => stable.since,
    stop: () => stopChild(child),
  };
}
