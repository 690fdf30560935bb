import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runSipp, type SippRun } from "../fixtures/sip/sipp.js";

/**
 * Writes a hearth config for the daemon tests: SIP on 127.0.0.1:`sipPort` (domain hearth.test),
 * these extension lines and voicemail sources (YAML flow maps, keyed as given), and `ami` (a
 * flow map) when given. Returns its path.
 */
export function writePbxConfig(
  dir: string,
  sipPort: number,
  extensions: Record<string, string>,
  voicemail: Record<string, string> = {},
  ami?: string,
): string {
  const lines = [
    "media: { roots: [] }",
    "pbx:",
    `  sip: { port: ${sipPort}, listen: 127.0.0.1, domain: hearth.test }`,
    "  extensions:",
    ...Object.entries(extensions).map(([number, entry]) => `    "${number}": ${entry}`),
  ];
  if (Object.keys(voicemail).length > 0) {
    lines.push("  voicemail:");
    for (const [name, entry] of Object.entries(voicemail)) lines.push(`    ${name}: ${entry}`);
  }
  if (ami !== undefined) lines.push(`  ami: ${ami}`);
  const config = join(dir, "hearth.yaml");
  writeFileSync(config, `${lines.join("\n")}\n`);
  return config;
}

/** A sipp phone registers `extension` with its password (test/fixtures/sip/register.xml). */
export function registerPhone(
  sipPort: number,
  extension: string,
  password: string,
  contactUser: string,
): Promise<SippRun> {
  return runSipp("register.xml", {
    port: sipPort,
    service: extension,
    user: extension,
    password,
    keys: { contact_user: contactUser, expires: "600" },
  });
}
