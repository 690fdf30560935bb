import { spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ha1, type BenchUser } from "./bench-users.js";
import {
  isAlive,
  type RunningRegistrar,
  stopProcess,
  waitUntilServing,
} from "./running-registrar.js";

const TEMPLATE = new URL("./kamailio.cfg", import.meta.url);

export interface KamailioOptions {
  /** A folder of its own: config, db_text tables, runtime dir (-Y) and log. */
  dir: string;
  port: number;
  realm: string;
  users: readonly BenchUser[];
  /** UDP worker processes (children=); the field notes' baseline used 4. */
  children: number;
}

/**
 * kamailio 5.6 (Debian) as a minimal registrar in the foreground (`-DD -E`), its subscribers in
 * db_text tables written here, on 127.0.0.1. No systemd, no /run: everything lives in `dir`.
 */
export async function startKamailio(options: KamailioOptions): Promise<RunningRegistrar> {
  const { dir, port, realm, users } = options;
  const db = join(dir, "db");
  const runtime = join(dir, "run");
  mkdirSync(db, { recursive: true });
  mkdirSync(runtime, { recursive: true });
  // db_text checks the table version before the first query: the subscriber schema is version 7.
  writeFileSync(
    join(db, "version"),
    "id(int,auto) table_name(string) table_version(int) \n0:subscriber:7\n",
  );
  const rows = users.map(
    (u, i) =>
      `${i + 1}:${u.extension}:${realm}:${u.password}:${ha1(u.extension, realm, u.password)}:` +
      ha1(`${u.extension}@${realm}`, realm, u.password),
  );
  writeFileSync(
    join(db, "subscriber"),
    [
      "id(int,auto) username(string) domain(string) password(string) ha1(string) ha1b(string) ",
      ...rows,
      "",
    ].join("\n"),
  );
  const config = join(dir, "kamailio.cfg");
  writeFileSync(
    config,
    readFileSync(TEMPLATE, "utf8")
      .replaceAll("@PORT@", String(port))
      .replaceAll("@DBDIR@", db)
      .replaceAll("@REALM@", realm)
      .replaceAll("@CHILDREN@", String(options.children)),
  );
  const logPath = join(dir, "kamailio.log");
  const log = openSync(logPath, "a");
  const child = spawn("kamailio", ["-DD", "-E", "-f", config, "-Y", runtime], {
    stdio: ["ignore", log, log],
  });
  const server: RunningRegistrar = {
    name: "kamailio",
    pid: child.pid ?? 0,
    port,
    logPath,
    isRunning: () => isAlive(child),
    stop: () => stopProcess(child),
  };
  await waitUntilServing(child, server, { udpPort: port });
  return server;
}
