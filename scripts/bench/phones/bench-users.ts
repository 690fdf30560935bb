import { createHash, randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";

/** One simulated phone: its extension number and digest password. */
export interface BenchUser {
  extension: string;
  password: string;
}

/** `count` extensions from `first` on, each with a random password of its own. */
export function makeUsers(first: number, count: number): BenchUser[] {
  return Array.from({ length: count }, (_, i) => ({
    extension: String(first + i),
    password: randomBytes(9).toString("base64url"),
  }));
}

/** The environment variable that holds an extension's password for hearth's `{ env: … }`. */
export function passwordVariable(user: BenchUser): string {
  return `BENCH_SIP_PW_${user.extension}`;
}

/**
 * A sipp injection file (`-inf`): SEQUENTIAL, so consecutive calls register consecutive
 * extensions and the file wraps around; field0 the extension, field1 its password.
 */
export function writeInjectionFile(path: string, users: readonly BenchUser[]): void {
  const lines = users.map((u) => `${u.extension};${u.password}`);
  writeFileSync(path, ["SEQUENTIAL", ...lines, ""].join("\n"));
}

/** HA1 of RFC 2617 §3.2.2.2: MD5(username:realm:password), as kamailio's subscriber table keeps it. */
export function ha1(user: string, realm: string, password: string): string {
  return createHash("md5").update(`${user}:${realm}:${password}`).digest("hex");
}
